// Package services builds the domain services over one open workspace, so
// that the desktop app and the CLI wire review, screening and publication
// alike.
package services

import (
	"context"
	"time"

	"qianfa/review/publish"
	"qianfa/review/screening"
	"qianfa/review/workflow"
	"qianfa/storage"
)

// Set is every service over one workspace.
type Set struct {
	Review    *workflow.Service
	Screening *screening.Service
	Publish   *publish.Service
}

// New wires the services over db. Export re-scans with screening and
// records the public-comment window, if any, in the review record.
func New(db *storage.DB) *Set {
	scr := &screening.Service{Store: db, Docs: db, Users: db}
	return &Set{
		Review:    &workflow.Service{Store: db, Docs: db, Users: db, Now: func() time.Time { return db.Now() }},
		Screening: scr,
		Publish: &publish.Service{Store: db, Docs: db, Users: db, Workflow: db, Settings: db, Screening: scr,
			PublicComment: func(ctx context.Context, id int64) (any, error) {
				r, err := db.PublicComment(ctx, id)
				if err != nil || !r.Held {
					// No window is not an error: most documents have none.
					return nil, err
				}
				return r, nil
			}},
	}
}
