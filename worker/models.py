from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """When a periodic job (worker.periodic) last ran, on any server: one row per job."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")

    def __str__(self):
        return self.name
