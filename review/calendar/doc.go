// Package calendar counts Chinese working days for the review office's
// deadlines: legality review (15 working days), active disclosure (20 working
// days of 成文日期, 《政府信息公开条例》第二十六条) and public-comment windows.
//
// Working days are not Monday to Friday: each year 国务院办公厅 publishes a
// notice (关于某年部分节假日安排的通知) that moves days off and turns some
// Saturdays and Sundays into make-up working days (调休上班). The notices from
// 2019 on ship with the package as a plain-text data file (holidays.txt) that
// the administrator can read, correct and extend; a year without a notice is
// reported by Calendar.Covered so that the screen can warn instead of
// silently counting ordinary weeks.
//
// Dates here are civil dates (Date), not instants: a deadline falls on a day
// in the office's calendar, whatever the computer's time zone.
package calendar
