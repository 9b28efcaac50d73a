package api

import (
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"carefit/access"
	"carefit/internal/platform/config"
)

// QueuesPath is where the task queue monitor (asynqmon) is mounted; its
// RootPath must be the same.
const QueuesPath = "/admin/queues"

// importBodyFactor is how much larger an NDJSON import may be than an
// ordinary request body.
const importBodyFactor = 64

// routes registers the /v1 API. Every route names the roles it allows;
// tenant scoping (a recruiter's organization, a clinician's profile)
// happens in the handler and answers 404 for another tenant's records.
func (s *Server) routes(e *echo.Echo, bodyLimit string) {
	limit, _ := config.ParseBytes(bodyLimit)
	v1 := e.Group("/v1", checkParams, s.authenticate)
	api := v1.Group("", middleware.BodyLimit(formatBytes(limit)))
	admin := allow(access.Admin)
	staff := allow(access.Admin, access.Recruiter)
	anyone := allow(access.Admin, access.Recruiter, access.Clinician)
	self := allow(access.Admin, access.Clinician)
	// Requests are checked against openapi.yaml after the role (see validated).
	admin, staff, anyone, self = validated(admin), validated(staff), validated(anyone), validated(self)

	api.GET("/me", s.me, anyone)

	api.POST("/organizations", s.createOrganization, admin, s.idempotent)
	api.GET("/organizations", s.listOrganizations, staff)
	api.GET("/organizations/:id", s.getOrganization, staff)
	api.PATCH("/organizations/:id", s.patchOrganization, staff)
	api.DELETE("/organizations/:id", s.deleteOrganization, admin)
	api.POST("/organizations/:id/webhooks", s.createWebhook, staff)
	api.GET("/organizations/:id/webhooks", s.listWebhooks, staff)
	api.DELETE("/organizations/:id/webhooks/:webhook_id", s.deleteWebhook, staff)
	api.GET("/organizations/:id/webhooks/:webhook_id/deliveries", s.webhookDeliveries, staff)

	api.POST("/positions", s.createPosition, staff, s.idempotent)
	api.GET("/positions", s.listPositions, anyone)
	api.GET("/positions/:id", s.getPosition, anyone)
	api.PATCH("/positions/:id", s.patchPosition, staff)
	api.POST("/positions/:id/status", s.setPositionStatus, staff)
	api.DELETE("/positions/:id", s.deletePosition, staff)
	api.GET("/positions/:id/versions", s.positionVersions, anyone)
	api.GET("/positions/:id/pipeline", s.positionPipeline, staff)
	api.GET("/positions/:id/pipeline/:clinician_id", s.pipelinePair, staff)
	api.PUT("/positions/:id/pipeline/:clinician_id", s.setPipeline, staff)

	api.POST("/profiles", s.createProfile, admin, s.idempotent)
	api.GET("/profiles", s.listProfiles, staff)
	api.GET("/profiles/:id", s.getProfile, anyone)
	api.PATCH("/profiles/:id", s.patchProfile, self)
	api.PUT("/profiles/:id/consent", s.setConsent, self)
	api.DELETE("/profiles/:id", s.deleteProfile, self)

	ranked := s.needsRanking
	api.GET("/positions/:id/candidates", s.positionCandidates, staff, ranked)
	api.GET("/positions/:id/candidates/:clinician_id", s.explainCandidate, staff, ranked)
	api.GET("/me/roles", s.myRoles, validated(allow(access.Clinician)), ranked)
	api.GET("/me/roles/:id", s.myRole, validated(allow(access.Clinician)), ranked)
	api.GET("/search/positions", s.searchPositions, anyone, ranked)
	api.GET("/search/profiles", s.searchProfiles, staff, ranked)

	api.POST("/rematch-runs", s.startRun, admin)
	api.GET("/rematch-runs", s.listRuns, admin)
	api.GET("/rematch-runs/:id", s.getRun, admin)
	readers := validated(allow(access.Recruiter, access.Clinician))
	api.GET("/alerts", s.alerts, readers)
	api.POST("/alerts/seen", s.alertsSeen, readers)

	s.introductionRoutes(api, staff)

	api.POST("/keys", s.createKey, admin, s.idempotent)
	api.GET("/keys", s.listKeys, admin)
	api.DELETE("/keys/:id", s.revokeKey, admin)
	api.GET("/audit", s.listAudit, admin)

	if s.queues != nil {
		// asynqmon, read-only, for admins: it shows task payloads, which
		// carry IDs only.
		mon := e.Group(QueuesPath, checkParams, s.authenticate, allow(access.Admin))
		mon.Any("", echo.WrapHandler(s.queues))
		mon.Any("/*", echo.WrapHandler(s.queues))
	}

	imports := v1.Group("/import", middleware.BodyLimit(formatBytes(limit*importBodyFactor)))
	slots := newImportSlots(s.importsPerKey).middleware
	imports.POST("/positions", s.importPositions, staff, slots)
	imports.POST("/profiles", s.importProfiles, admin, slots)
}

// introductionRoutes registers contact by introduction and the
// clinician's controls; staff are the admin and recruiter roles, already
// validated.
func (s *Server) introductionRoutes(api *echo.Group, staff echo.MiddlewareFunc) {
	recruiters, clinicians := validated(allow(access.Recruiter)), validated(allow(access.Clinician))
	api.POST("/introductions", s.requestIntroduction, recruiters, s.idempotent)
	api.GET("/introductions", s.listIntroductions, staff)
	api.GET("/introductions/:id", s.getIntroduction, staff)
	api.POST("/introductions/:id/accept", s.answerIntroduction(true), recruiters)
	api.POST("/introductions/:id/decline", s.answerIntroduction(false), recruiters)
	api.GET("/me/introductions", s.myIntroductions, clinicians)
	api.POST("/me/introductions", s.expressInterest, clinicians, s.idempotent)
	api.POST("/me/introductions/:id/accept", s.answerIntroduction(true), clinicians)
	api.POST("/me/introductions/:id/decline", s.answerIntroduction(false), clinicians)
	api.POST("/me/introductions/:id/revoke", s.revokeIntroduction, clinicians)
	api.GET("/me/blocked-organizations", s.blockedOrganizations, clinicians)
	api.PUT("/me/blocked-organizations", s.setBlockedOrganizations, clinicians)
	api.GET("/me/access-log", s.accessLog, clinicians)
	api.GET("/me/consents", s.consentRecord, clinicians)
	api.GET("/me/export", s.export, clinicians)
}

// formatBytes writes n as a plain byte count for echo's BodyLimit, which
// reads "K" and "M" as powers of 1,000, where carefit's sizes
// (config.ParseBytes) are powers of 1,024.
func formatBytes(n int64) string {
	return strconv.FormatInt(n, 10)
}
