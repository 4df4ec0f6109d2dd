package checksheet

// Message keys, defined in i18n/messages/checksheet.{ja,en}.json. The
// comment after each says what its arguments are.
const (
	// Whole-file problems (a *renkei.Error from Inspect or Convert).
	KeyTooLarge        = "checksheet.too_large"          // limit, e.g. "20 MiB"
	KeyEmpty           = "checksheet.empty"              // —
	KeyXLS             = "checksheet.xls"                // —
	KeyNotXLSX         = "checksheet.not_xlsx"           // —
	KeyCorrupt         = "checksheet.corrupt"            // —
	KeyNoSheet         = "checksheet.no_sheet"           // the sheet name
	KeyNoQuestions     = "checksheet.no_questions"       // —
	KeyTooManyQuestion = "checksheet.too_many_questions" // limit

	// Mapping and template details (Fields of a *renkei.Error from Convert).
	KeyColumn       = "checksheet.column"        // —
	KeyColumnNeeded = "checksheet.column_needed" // —
	KeyColumnTwice  = "checksheet.column_twice"  // —
	KeyHeaderRow    = "checksheet.header_row"    // —
	KeyLang         = "checksheet.lang"          // —

	// Cell problems (CellErrors).
	KeyEmptyQuestion   = "checksheet.empty_question"    // —
	KeyDuplicateID     = "checksheet.duplicate_id"      // the cell of the first use
	KeyBadID           = "checksheet.bad_id"            // the value
	KeyWeightNumber    = "checksheet.weight_number"     // the value
	KeyWeightNegative  = "checksheet.weight_negative"   // the value
	KeyWeightRange     = "checksheet.weight_range"      // the value
	KeyChoiceFormat    = "checksheet.choice_format"     // —
	KeyChoicePoints    = "checksheet.choice_points"     // the choice
	KeyChoiceDuplicate = "checksheet.choice_duplicate"  // the choice
	KeyTooLong         = "checksheet.too_long"          // the limit in characters
	KeyBadChars        = "checksheet.bad_chars"         // —
	KeyLevel           = "checksheet.level"             // the value
	KeyLevelNeeded     = "checksheet.level_needed"      // —
	KeyTooManySections = "checksheet.too_many_sections" // limit
	KeyInvalid         = "checksheet.invalid"           // the template rule's key
	KeyTooManyErrors   = "checksheet.too_many_errors"   // how many were shown
)
