"""The app's date formats, the same in every language (docs/ui.md, *Dates*).

Django's own English formats ("Dec. 2, 2026") would win over settings.DATE_FORMAT, so
each language the app offers names the app's format here (FORMAT_MODULE_PATH). Month
names are still translated by Django ("2 Dis 2026" in Kiswahili). Only what is shown
is set: input formats stay Django's, and date inputs are `<input type="date">`.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
