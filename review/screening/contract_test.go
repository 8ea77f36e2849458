package screening_test

import (
	"qianfa/review/publish"
	"qianfa/review/screening"
)

// Export calls the screening check through its own interface; this keeps
// the two in step.
var _ publish.ExportChecker = (*screening.Service)(nil)
