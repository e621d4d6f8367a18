package document

import "time"

// normaliseDate returns s as YYYY-MM-DD when it reads as a date (in the
// time zone it states, if any), and s unchanged otherwise.
func normaliseDate(s string) string {
	// ISO 8601 and RFC forms, and dates with the month written out.
	// All-numeric orders other than year first are ambiguous (is
	// 03/04/2015 March or April?) and deliberately absent.
	layouts := [...]string{
		"2006-01-02",
		time.RFC3339Nano,
		"2006-01-02T15:04:05",
		"2006-01-02T15:04",
		"2006-01-02 15:04:05 -0700", // Jekyll and Hugo
		"2006-01-02 15:04:05 -0700 MST",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05",
		"2006-01-02 15:04",
		"2006/01/02",
		"2006.01.02",
		"20060102",
		time.RFC1123Z,
		time.RFC1123,
		time.RFC850,
		time.RFC822Z,
		time.RFC822,
		time.ANSIC,
		"January 2, 2006",
		"January 2 2006",
		"Jan 2, 2006",
		"Jan. 2, 2006",
		"Jan 2 2006",
		"Monday, January 2, 2006",
		"Mon, January 2, 2006",
		"2 January 2006",
		"2 Jan 2006",
		"02 Jan 2006",
		"Monday, 2 January 2006",
		"Mon, 2 Jan 2006",
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return s
}
