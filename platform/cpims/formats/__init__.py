"""The app's date formats, the same in every language (docs/ui.md, *Dates*).

Django's own English formats ("Dec. 2, 2026", "12/02/2026") would win over
settings.DATE_FORMAT, so each language the app offers names the app's formats here
(FORMAT_MODULE_PATH): ``{{ d }}``, ``{{ d|date }}`` and ``{{ d|date:"SHORT_DATE_FORMAT" }}``
all read "10 Feb 2026". Month names are still translated by Django ("10 Feb 2026",
"2 Des 2026" in Kiswahili). Only what is shown is set: input formats stay Django's, and
date inputs are `<input type="date">` (their value is Y-m-d).
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j M"
TIME_FORMAT = "H:i"
