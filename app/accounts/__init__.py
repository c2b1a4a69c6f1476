"""Accounts: users with a role (candidate < interviewer < admin) and how callers authenticate.

For routes (FastAPI dependencies, as `Annotated` aliases in `app.accounts.deps`):

    CurrentUserOptional   User | None   from `Authorization: Bearer <token>` or the `dojo_session`
                                        cookie (signed, HttpOnly, SameSite=Lax, Secure when
                                        DOJO_COOKIE_SECURE or outside development)
    CurrentUser           User          401 when neither is present and valid
    InterviewerUser       User          403 unless interviewer or admin
    AdminUser             User          403 unless admin (DOJO_ADMIN_TOKEN as a bearer counts)

    The plain functions `current_user_optional` and `current_user` are the same dependencies.

Service functions (`app.accounts.service`), which take the request's session and never commit:

    signup(db, email, password) -> User                 a candidate; 409 if the email is taken
    authenticate(db, email, password) -> User           401 on a wrong email or password
    issue_session_cookie(response, user, token=None)    logs the browser in (a fresh token or `token`)
    clear_session_cookie(response)                      logs the browser out (see revoke_token)
    issue_token(db, user) -> (token, AuthToken)         a bearer token for API clients
    revoke_token(db, token)                             logout: the token stops working
    revoke_all_tokens(db, user_id) -> int               log out everywhere
    create_user(db, email, password, role), set_role(db, user_id, role)

The routes log in and sign up through `app.accounts.access` (async): rate limits first, then
argon2 on the bounded password pool, never on the event loop.

Role checks: `user.has_role(Role.INTERVIEWER)` is true for interviewers and admins.
Bootstrap the first admin with `dojo admin create-user --email you@example.com --role admin`
or set DOJO_ADMIN_TOKEN and send it as a bearer token: it acts as the service identity
`service:admin-token`, which no signup can claim.
"""
