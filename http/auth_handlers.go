package http

import (
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/topoforge/topoforge/auth"
	"github.com/topoforge/topoforge/messages"
)

type registerRequest struct {
	Username string `json:"username"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// validate returns the first invalid field, in the order username, email, password.
func (r *registerRequest) validate() *messages.Error {
	if r.Username == "" {
		return messages.FieldError("username", "is required")
	}
	if issue := auth.ValidateUsername(r.Username); issue != "" {
		return messages.FieldError("username", issue)
	}
	if r.Email == "" {
		return messages.FieldError("email", "is required")
	}
	if issue := auth.ValidateEmail(r.Email); issue != "" {
		return messages.FieldError("email", issue)
	}
	if issue := auth.ValidatePassword(r.Password); issue != "" {
		return messages.FieldError("password", issue)
	}
	return nil
}

func (s *Server) register(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	var req registerRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	if err := req.validate(); err != nil {
		s.writeError(ctx, err)
		return
	}
	// The handler hashes so the plain password never enters the actor system, and so bcrypt
	// runs on the request's goroutine rather than serialising inside the users actor.
	hash, err := auth.HashPassword(req.Password, s.cfg.BcryptCost)
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	rep, err := ask[*messages.UserReply](s, s.actors.Users, &messages.RegisterUser{
		Username: req.Username, Email: req.Email, PasswordHash: hash,
	})
	if err == nil && rep.Err != nil {
		err = rep.Err
	}
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusCreated, rep.User)
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// tokenResponse is the contract's login and refresh reply.
type tokenResponse struct {
	AccessToken  string        `json:"access_token"`
	RefreshToken string        `json:"refresh_token"`
	TokenType    string        `json:"token_type"`
	ExpiresIn    int           `json:"expires_in"`
	User         messages.User `json:"user"`
}

func (s *Server) login(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	var req loginRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	if req.Username == "" {
		s.writeError(ctx, messages.FieldError("username", "is required"))
		return
	}
	if req.Password == "" {
		s.writeError(ctx, messages.FieldError("password", "is required"))
		return
	}
	cand, err := ask[*messages.LoginCandidate](s, s.actors.Users, &messages.GetLoginCandidate{Username: req.Username})
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	if cand.Err != nil && cand.Err.Code == messages.CodeRateLimited {
		s.writeError(ctx, cand.Err)
		return
	}
	ok := auth.CheckPassword(cand.PasswordHash, req.Password) && cand.Err == nil
	jti := auth.NewID("rt_")
	exp := s.cfg.Now().Add(s.issuer.RefreshTTL())
	res, err := ask[*messages.LoginResult](s, s.actors.Users, &messages.LoginAttempt{
		Username: req.Username, OK: ok, RefreshJTI: jti, ExpiresAt: exp,
	})
	if err == nil && res.Err != nil {
		err = res.Err
	}
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeTokens(ctx, res.User, jti, exp)
}

func (s *Server) writeTokens(ctx *fasthttp.RequestCtx, u messages.User, refreshJTI string, refreshExp time.Time) {
	access, err := s.issuer.Sign(auth.KindAccess, u.ID, u.Username, string(u.Role), auth.NewID("at_"),
		s.cfg.Now().Add(s.issuer.AccessTTL()))
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	refresh, err := s.issuer.Sign(auth.KindRefresh, u.ID, u.Username, string(u.Role), refreshJTI, refreshExp)
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, tokenResponse{
		AccessToken: access, RefreshToken: refresh, TokenType: "bearer",
		ExpiresIn: int(s.issuer.AccessTTL() / time.Second), User: u,
	})
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (s *Server) refresh(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	var req refreshRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	if req.RefreshToken == "" {
		s.writeError(ctx, messages.FieldError("refresh_token", "is required"))
		return
	}
	c, err := s.issuer.Verify(req.RefreshToken, auth.KindRefresh)
	if err != nil {
		s.writeError(ctx, messages.Errorf(messages.CodeUnauthorized, "refresh token is invalid, expired or already used"))
		return
	}
	jti := auth.NewID("rt_")
	exp := s.cfg.Now().Add(s.issuer.RefreshTTL())
	res, err := ask[*messages.LoginResult](s, s.actors.Users, &messages.RotateRefresh{
		UserID: c.Subject, OldJTI: c.ID, NewJTI: jti, ExpiresAt: exp,
	})
	if err == nil && res.Err != nil {
		err = res.Err
	}
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeTokens(ctx, res.User, jti, exp)
}

func (s *Server) me(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	rep, err := ask[*messages.UserReply](s, s.actors.Users, &messages.GetUser{ID: p.UserID})
	if err == nil && rep.Err != nil {
		err = rep.Err
	}
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, rep.User)
}

type apiKeyRequest struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Limits on API key fields.
const (
	maxKeyNameLen = 100  // longest API key name
	maxKeyDescLen = 1000 // longest API key description
)

// apiKeyCreated is the contract's reply: the only time the key itself is shown.
type apiKeyCreated struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Key         string    `json:"key"`
	CreatedAt   time.Time `json:"created_at"`
}

func (s *Server) createAPIKey(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	var req apiKeyRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	req.Name = strings.TrimSpace(req.Name)
	switch {
	case req.Name == "":
		s.writeError(ctx, messages.FieldError("name", "is required"))
		return
	case len(req.Name) > maxKeyNameLen:
		s.writeError(ctx, messages.FieldError("name", "must be at most 100 characters"))
		return
	case len(req.Description) > maxKeyDescLen:
		s.writeError(ctx, messages.FieldError("description", "must be at most 1000 characters"))
		return
	}
	key, shown, hash := auth.NewAPIKey()
	rep, err := ask[*messages.APIKeyReply](s, s.actors.Users, &messages.CreateAPIKey{
		UserID: p.UserID, Name: req.Name, Description: req.Description, Prefix: shown, Hash: hash,
	})
	if err == nil && rep.Err != nil {
		err = rep.Err
	}
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusCreated, apiKeyCreated{
		ID: rep.Key.ID, Name: rep.Key.Name, Description: rep.Key.Description, Key: key, CreatedAt: rep.Key.CreatedAt,
	})
}

func (s *Server) listAPIKeys(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	all := p.Role == messages.RoleAdmin && string(ctx.QueryArgs().Peek("all")) == "true"
	rep, err := ask[*messages.APIKeyList](s, s.actors.Users, &messages.ListAPIKeys{UserID: p.UserID, All: all})
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	keys := rep.Keys
	if keys == nil {
		keys = []messages.APIKey{}
	}
	s.writeJSON(ctx, fasthttp.StatusOK, map[string]any{"api_keys": keys, "total": len(keys)})
}

func (s *Server) revokeAPIKey(ctx *fasthttp.RequestCtx, p *messages.Principal) {
	id, _ := ctx.UserValue("key_id").(string)
	rep, err := ask[*messages.Ack](s, s.actors.Users, &messages.RevokeAPIKey{ID: id, Principal: *p})
	if err == nil && rep.Err != nil {
		err = rep.Err
	}
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, map[string]string{"message": "API key revoked"})
}

func (s *Server) listUsers(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	rep, err := ask[*messages.UserList](s, s.actors.Users, &messages.ListUsers{})
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, map[string]any{"users": rep.Users, "total": len(rep.Users)})
}

type setRoleRequest struct {
	Role string `json:"role"`
}

func (s *Server) setRole(ctx *fasthttp.RequestCtx, _ *messages.Principal) {
	var req setRoleRequest
	if err := s.decodeJSON(ctx, &req); err != nil {
		s.writeError(ctx, err)
		return
	}
	if !messages.Role(req.Role).Valid() {
		s.writeError(ctx, messages.FieldError("role", "must be one of admin, user, viewer"))
		return
	}
	id, _ := ctx.UserValue("user_id").(string)
	rep, err := ask[*messages.UserReply](s, s.actors.Users, &messages.SetRole{ID: id, Role: messages.Role(req.Role)})
	if err == nil && rep.Err != nil {
		err = rep.Err
	}
	if err != nil {
		s.writeError(ctx, err)
		return
	}
	s.writeJSON(ctx, fasthttp.StatusOK, rep.User)
}
