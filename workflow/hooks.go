package workflow

import (
	"context"

	"qingdan/models"
)

// Transition is what a hook learns of an event on a request: the request as
// it will be stored, the event and the people behind it.
type Transition struct {
	Request models.ChangeRequest
	Region  string // the region of the request's agency
	Event   string
	From    string
	To      string
	Actor   *models.User
	Comment string
}

// Hook runs inside the transaction of every transition (and 督办), after the
// event is recorded: what it writes commits with the event, and its error
// undoes the event. Notifications plug in here.
type Hook func(ctx context.Context, tx *models.Store, t Transition) error

// OnTransition adds a hook; set them up before serving.
func (s *Service) OnTransition(h Hook) { s.hooks = append(s.hooks, h) }

func (s *Service) runHooks(ctx context.Context, tx *models.Store, t Transition) error {
	for _, h := range s.hooks {
		if err := h(ctx, tx, t); err != nil {
			return err
		}
	}
	return nil
}
