package partnerio

// Message keys, defined in i18n/messages/partnerio.{ja,en}.json. The
// comment after each says what its arguments are.
const (
	// Whole-file problems (a *renkei.Error from Read).
	KeyTooLarge     = "partnerio.too_large"       // limit, e.g. "100 MB"
	KeyTooManyRows  = "partnerio.too_many_rows"   // limit
	KeyEmpty        = "partnerio.empty"           // —
	KeyHeaderOnly   = "partnerio.header_only"     // —
	KeyNoHeader     = "partnerio.no_header"       // —
	KeyMalformedCSV = "partnerio.malformed_csv"   // line
	KeyEncoding     = "partnerio.encoding"        // line
	KeyCorruptXLSX  = "partnerio.corrupt_xlsx"    // —
	KeyXLS          = "partnerio.xls"             // —
	KeyContentType  = "partnerio.content_type"    // the content type
	KeyExportLang   = "partnerio.export_lang"     // the language asked for
	KeyExportEnc    = "partnerio.export_enc"      // the encoding asked for
	KeyUnencodable  = "partnerio.unencodable"     // row, column, character
	KeyExportRows   = "partnerio.export_rows"     // limit
	KeyTooManyErrs  = "partnerio.too_many_errors" // how many were shown

	// Header problems (ImportErrors on the header row).
	KeyUnknownColumn   = "partnerio.unknown_column"   // the header
	KeyDuplicateColumn = "partnerio.duplicate_column" // the header
	KeyMissingColumn   = "partnerio.missing_column"   // the header it needs

	// Cell and row problems (ImportErrors).
	KeyRequired          = "partnerio.required"            // —
	KeyTooLong           = "partnerio.too_long"            // the limit in characters
	KeyBadChars          = "partnerio.bad_chars"           // —
	KeyNoHeaderCell      = "partnerio.no_header_cell"      // —
	KeyDuplicate         = "partnerio.duplicate"           // the earlier row
	KeyBool              = "partnerio.bool"                // the value
	KeyNumber            = "partnerio.number"              // the value
	KeyType              = "partnerio.type"                // the value
	KeyDepartment        = "partnerio.department"          // the value
	KeyIndustry          = "partnerio.industry"            // the value
	KeyRevenueBand       = "partnerio.revenue_band"        // the value
	KeyCountry           = "partnerio.country"             // the value
	KeyProvides          = "partnerio.provides"            // the value
	KeyNetworkAccess     = "partnerio.network_access"      // the value
	KeyNetworkNoneAlone  = "partnerio.network_none_alone"  // —
	KeyCorporateNumber   = "partnerio.corporate_number"    // the value
	KeyEmployees         = "partnerio.employees"           // —
	KeyPersonalDataCount = "partnerio.personal_data_count" // —
	KeyDomain            = "partnerio.domain"              // the value
	KeyEmail             = "partnerio.email"               // the value
	KeyInvalid           = "partnerio.invalid"             // —
)

// keyArgs says how many arguments each key's message takes; the tests hold
// the catalogs to it.
var keyArgs = map[string]int{
	KeyTooLarge: 1, KeyTooManyRows: 1, KeyEmpty: 0, KeyHeaderOnly: 0, KeyNoHeader: 0,
	KeyMalformedCSV: 1, KeyEncoding: 1, KeyCorruptXLSX: 0, KeyXLS: 0, KeyContentType: 1,
	KeyExportLang: 1, KeyExportEnc: 1, KeyUnencodable: 3, KeyExportRows: 1, KeyTooManyErrs: 1,
	KeyUnknownColumn: 1, KeyDuplicateColumn: 1, KeyMissingColumn: 1,
	KeyRequired: 0, KeyTooLong: 1, KeyBadChars: 0, KeyNoHeaderCell: 0, KeyDuplicate: 1,
	KeyBool: 1, KeyNumber: 1, KeyType: 1, KeyDepartment: 1, KeyIndustry: 1, KeyRevenueBand: 1,
	KeyCountry: 1, KeyProvides: 1, KeyNetworkAccess: 1, KeyNetworkNoneAlone: 0,
	KeyCorporateNumber: 1, KeyEmployees: 0, KeyPersonalDataCount: 0, KeyDomain: 1, KeyEmail: 1,
	KeyInvalid: 0,
}

// fieldKeys maps the field keys of Partner.Validate to the messages of a
// file import. field.text becomes KeyTooLong or KeyBadChars depending on
// the value.
var fieldKeys = map[string]string{
	"field.required":           KeyRequired,
	"field.too_long":           KeyTooLong,
	"field.corporate_number":   KeyCorporateNumber,
	"field.country":            KeyCountry,
	"field.industry":           KeyIndustry,
	"field.employees":          KeyEmployees,
	"field.revenue_band":       KeyRevenueBand,
	"field.domain":             KeyDomain,
	"field.partner_type":       KeyType,
	"field.department":         KeyDepartment,
	"field.network_none_alone": KeyNetworkNoneAlone,
	"field.number":             KeyPersonalDataCount,
	"field.email":              KeyEmail,
}
