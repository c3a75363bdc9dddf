package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"qingdan/workflow"
)

// Publication: one approved request from its page (the publish transition),
// or several of one list together as one version, a 集中调整 (batch). Who may
// is the workflow's rule, as for every transition.

// publish publishes and answers with the request's detail.
func (s *Server) publish(c *gin.Context, p workflow.Publication, id int64) {
	if _, err := s.flow.Publish(c.Request.Context(), currentUser(c), p); err != nil {
		fail(c, err)
		return
	}
	s.respondDetail(c, http.StatusOK, id)
}

type batchBody struct {
	Name             string  `json:"name"`
	DocNumber        string  `json:"doc_number"`
	Date             string  `json:"date"`
	Comment          string  `json:"comment"`
	ChangeRequestIDs []int64 `json:"change_request_ids"`
}

type batchPublishedJSON struct {
	ListID  int64       `json:"list_id"`
	Version versionJSON `json:"version"`
}

// publishBatch publishes the approved requests of a list as one version:
// all or nothing, answered with the new version as the version list shows it.
func (s *Server) publishBatch(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var b batchBody
	if !bindBody(c, &b, `{"name","doc_number","date","comment","change_request_ids":[…]}`) {
		return
	}
	v, err := s.flow.Publish(c.Request.Context(), currentUser(c), workflow.Publication{ListID: id, Requests: b.ChangeRequestIDs, Batch: true,
		Name: b.Name, DocNumber: b.DocNumber, Date: b.Date, Comment: b.Comment})
	if err != nil {
		fail(c, err)
		return
	}
	published, err := s.store.VersionRequests(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, batchPublishedJSON{ListID: id, Version: toVersionJSON(v, published[v.Number])})
}

// publishableJSON is what the 集中公布 form offers: at most Max requests at once.
type publishableJSON struct {
	ListID         int64               `json:"list_id"`
	ChangeRequests []changeRequestJSON `json:"change_requests"`
	Max            int                 `json:"max"`
}

// publishableRequests lists the list's approved requests the user may
// publish, for the 集中公布 form (none for anyone else).
func (s *Server) publishableRequests(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	rows, err := s.flow.Publishable(c.Request.Context(), currentUser(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	out, err := s.withClocks(c, rows)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, publishableJSON{ListID: id, ChangeRequests: out, Max: workflow.MaxBatch})
}
