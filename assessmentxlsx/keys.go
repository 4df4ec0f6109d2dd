package assessmentxlsx

// Message keys, defined in i18n/messages/assessmentxlsx.{ja,en}.json. The
// comment after each says what its arguments are.
const (
	// Whole-file problems (a *renkei.Error from Read or Write).
	KeyTooLarge        = "assessmentxlsx.too_large"        // limit, e.g. "10 MB"
	KeyCorrupt         = "assessmentxlsx.corrupt"          // —
	KeyNotAssessment   = "assessmentxlsx.not_assessment"   // —
	KeyWrongTemplate   = "assessmentxlsx.wrong_template"   // the file's template, the expected one ("slug v1")
	KeyWrongAssessment = "assessmentxlsx.wrong_assessment" // the file's assessment ID, the expected one
	KeyNoHeader        = "assessmentxlsx.no_header"        // —
	KeyExportLang      = "assessmentxlsx.export_lang"      // the language asked for

	// Cell problems (CellError). Read also passes on the keys of
	// Template.CheckAnswer (answer.value, answer.na, answer.number,
	// answer.date, answer.text), which take no arguments.
	KeyYesNo              = "assessmentxlsx.yesno"                // the value, the allowed answers
	KeyChoice             = "assessmentxlsx.choice"               // the value, the allowed answers
	KeyNumber             = "assessmentxlsx.number"               // the value
	KeyDate               = "assessmentxlsx.date"                 // the value
	KeyNoRef              = "assessmentxlsx.no_ref"               // —
	KeyUnknownRef         = "assessmentxlsx.unknown_ref"          // the ref
	KeyDuplicateRef       = "assessmentxlsx.duplicate_ref"        // the ref, the cell of its first row
	KeyFileQuestion       = "assessmentxlsx.file_question"        // —
	KeyNotesText          = "assessmentxlsx.notes_text"           // —
	KeyNotesWithoutAnswer = "assessmentxlsx.notes_without_answer" // —
	KeyTooManyErrors      = "assessmentxlsx.too_many_errors"      // how many were listed
)

// keyArgs says how many arguments each key's message takes; the tests hold
// the catalogs and the errors to it.
var keyArgs = map[string]int{
	KeyTooLarge: 1, KeyCorrupt: 0, KeyNotAssessment: 0, KeyWrongTemplate: 2, KeyWrongAssessment: 2,
	KeyNoHeader: 0, KeyExportLang: 1,
	KeyYesNo: 2, KeyChoice: 2, KeyNumber: 1, KeyDate: 1, KeyNoRef: 0, KeyUnknownRef: 1,
	KeyDuplicateRef: 2, KeyFileQuestion: 0, KeyNotesText: 0, KeyNotesWithoutAnswer: 0, KeyTooManyErrors: 1,
	"answer.value": 0, "answer.na": 0, "answer.number": 0, "answer.date": 0, "answer.text": 0,
}
