# Dates as a school in Europe writes them in English: "3 Dec 2026, 17:30", without the "p.m."
# whose full stop doubled up at the end of sentences.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
