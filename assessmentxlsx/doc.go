// Package assessmentxlsx writes an assessment as an Excel workbook that a
// partner can fill in offline, and reads the filled workbook back.
//
// The workbook has one visible sheet (回答 or Answers): a header block
// (organization, partner, due date, assessment ID, template) and a table
// with one row per question — section, ref, question, the answer cell,
// notes, how to answer (the allowed values, whether it is required, the
// condition under which it is asked) and the help text. Yes/no and single
// choice answers have drop-down lists; number and date cells have data
// validation. Two very hidden sheets hold the lists of the drop-downs
// (_lists) and what Read checks (_renkei: the format, the assessment ID,
// the template's slug and version).
//
// Read matches the rows by the ref column, not by position, so a partner
// may sort or filter the table. Every answer cell is checked against the
// template (Template.CheckAnswer): a bad cell is reported by its cell
// reference (CellError) and the other answers are still returned.
//
// Text that a spreadsheet could take for a formula (starting with = + - @,
// a tab or CR, or their full-width forms) is written with a leading
// apostrophe, which Read removes again; the round trip keeps the text.
//
// Evidence files are not part of the workbook: file questions are listed
// for reference and Read returns no answer for them, and the Files counts
// of other answers are not read either. The caller merges what Read
// returns into the stored answers and keeps the files.
package assessmentxlsx
