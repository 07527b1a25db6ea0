"""The admin's date format (readers have BLOG_DATE_FORMAT): dates as the admin's date inputs take them, times on a
24-hour clock. Django uses these wherever the admin shows a date or a time, History included, and
`django.utils.formats.localize` gives them to our own code."""

DATE_FORMAT = "d/m/Y"  # 04/08/2016
SHORT_DATE_FORMAT = DATE_FORMAT
TIME_FORMAT = "H:i"  # 14:05
DATETIME_FORMAT = f"{DATE_FORMAT} {TIME_FORMAT}"  # 04/08/2016 14:05
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
