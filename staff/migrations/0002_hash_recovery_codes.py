"""Recovery codes are stored hashed (config.two_factor.recovery_code_digest): hash the ones stored in plain text
before, so that they keep working once each and a database dump no longer shows them."""

from django.db import migrations

HASHED_LENGTH = 16  # 96 bits of SHA-256 in URL-safe base64; django-otp's own codes were 8 characters.


def hash_plain_codes(apps, schema_editor):
    from config.two_factor import recovery_code_digest

    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all():
        if len(token.token) != HASHED_LENGTH:
            token.token = recovery_code_digest(token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_password_verdicts"), ("otp_static", "0003_add_timestamps")]

    operations = [migrations.RunPython(hash_plain_codes, migrations.RunPython.noop)]
