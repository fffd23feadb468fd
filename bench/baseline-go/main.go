// The Go baseline of `make bench` (issue 17): a plain net/http + database/sql (lib/pq) service that reads
// and writes the messenger's own PostgreSQL tables (chat.chats, chat.members, chat.messages,
// users.profiles) and answers four of its routes with the same JSON bytes, so bench/run.sh can put the
// messenger's numbers next to a conventional implementation's, measured on the same data in the same run:
//
//	GET  /private/{chat_id}/messages?limit=50[&offset=N]  a page, newest first, owners by a JOIN; X-Has-More
//	GET  /private/chat-list/[?limit=100]                  the caller's chats as the list draws them
//	GET  /users/user/?username=NAME                       exact match ignoring case, with presence
//	POST /private/add-message/{chat_id}/  {text, message_answer_id?}: INSERT, the chat's last_activity_at
//	                                      and the author's read marker in one transaction (no events)
//
// Like the seed behind a trusted nginx, it trusts X-User-Id (no token check). Every statement is prepared
// once (db.Prepare at start; database/sql prepares it on each pooled connection on first use); the pool
// holds 20 connections. Debian's golang-go and golang-github-lib-pq-dev, no module download:
//
//	env GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$PWD/.build/go-cache \
//	    go build -o .build/baseline-go bench/baseline-go/main.go
//	.build/baseline-go -addr 127.0.0.1:8090 -dsn 'host=DATA_DIR/postgres/run user=messenger dbname=messenger sslmode=disable'
//
// bench/run.sh compares its answers with the messenger's byte for byte before measuring anything.
package main

import (
	"database/sql"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	_ "github.com/lib/pq"
)

const (
	messagePageSQL = `
SELECT m.id, m.chat_id, m.owner_id, m.text, m.answer_id, m.created_at, m.type, m.data::text, m.edited_at,
       p.username, p.avatar_url, p.avatar_key
FROM chat.messages m LEFT JOIN users.profiles p ON p.id = m.owner_id
WHERE m.chat_id = $1 AND EXISTS (SELECT 1 FROM chat.members WHERE chat_id = $1 AND user_id = $2)
ORDER BY m.id DESC LIMIT $3 OFFSET $4`

	// Why a page is empty: no chat (no row), not a member (false), or no messages (true).
	accessSQL = `
SELECT EXISTS (SELECT 1 FROM chat.members WHERE chat_id = c.id AND user_id = $2) FROM chat.chats c WHERE c.id = $1`

	// The messenger's chat-list statement (ChatStatements.chatListSQL with ChatList's page), with the
	// peer's and the last message's owner's profiles joined in.
	chatListSQL = `
WITH page AS (
    SELECT mem.user_id AS viewer, c.id, c.kind, c.title, c.starter_id, c.recipient_id,
           c.last_activity_at, mem.last_read_message_id
    FROM chat.members mem JOIN chat.chats c ON c.id = mem.chat_id
    WHERE mem.user_id = $1
      AND ($3::text IS NULL OR (c.last_activity_at, c.id) < ($3::text::timestamptz, $4::bigint))
    ORDER BY c.last_activity_at DESC, c.id DESC
    LIMIT $2
)
SELECT c.id, c.kind, c.title, c.peer_id, peer.username, peer.avatar_url, peer.avatar_key,
       (SELECT count(*) FROM chat.members x WHERE x.chat_id = c.id),
       to_char(c.last_activity_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       counts.unread, counts.mentions,
       lm.id, lm.chat_id, lm.owner_id, lm.text, lm.answer_id, lm.created_at, lm.type, lm.data::text,
       lm.edited_at, owner.username, owner.avatar_url, owner.avatar_key
FROM (
    SELECT page.*, CASE WHEN page.kind = 'private'
                        THEN CASE WHEN page.starter_id = page.viewer THEN page.recipient_id ELSE page.starter_id END
                   END AS peer_id
    FROM page
) c
LEFT JOIN LATERAL (
    SELECT m.* FROM chat.messages m WHERE m.chat_id = c.id ORDER BY m.id DESC LIMIT 1
) lm ON true
LEFT JOIN LATERAL (
    SELECT count(*) AS unread, count(*) FILTER (WHERE c.viewer = ANY (u.mentions)) AS mentions
    FROM chat.messages u
    WHERE u.chat_id = c.id AND u.id > c.last_read_message_id AND u.owner_id <> c.viewer AND u.type = 'default'
) counts ON true
LEFT JOIN users.profiles peer ON peer.id = c.peer_id
LEFT JOIN users.profiles owner ON owner.id = lm.owner_id
ORDER BY c.last_activity_at DESC, c.id DESC`

	searchSQL = `
SELECT p.id, p.username, p.avatar_url, p.avatar_key, p.last_online_at,
       COALESCE(p.last_online_at > now() - make_interval(secs => 300), false)
FROM users.profiles p WHERE lower(p.username) = lower($1) ORDER BY p.id`

	// The membership check is the INSERT's own condition: no row means refused (see refusal).
	insertSQL = `
INSERT INTO chat.messages (chat_id, owner_id, text, answer_id)
SELECT $1, $2, $3, $4
WHERE EXISTS (SELECT 1 FROM chat.members WHERE chat_id = $1 AND user_id = $2)
  AND ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM chat.messages WHERE id = $4 AND chat_id = $1))
RETURNING id`

	touchSQL = `
WITH touched AS (UPDATE chat.chats SET last_activity_at = now() WHERE id = $1)
UPDATE chat.members SET last_read_message_id = GREATEST(last_read_message_id, $3)
WHERE chat_id = $1 AND user_id = $2`
)

type server struct {
	db                                            *sql.DB
	messagePage, access, chatList, search, insert *sql.Stmt
	touch                                         *sql.Stmt
	mediaBase                                     string
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	dsn := flag.String("dsn", "", "lib/pq connection string")
	media := flag.String("media-base", "", "base URL of uploaded avatars (the messenger's PUBLIC_URL + /media)")
	flag.Parse()
	db, err := sql.Open("postgres", *dsn)
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	if err := db.Ping(); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db, mediaBase: strings.TrimSuffix(*media, "/")}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&s.messagePage, messagePageSQL}, {&s.access, accessSQL}, {&s.chatList, chatListSQL},
		{&s.search, searchSQL}, {&s.insert, insertSQL}, {&s.touch, touchSQL},
	} {
		if *p.stmt, err = db.Prepare(p.sql); err != nil {
			log.Fatalf("prepare: %v\n%s", err, p.sql)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/private/", s.private)
	mux.HandleFunc("/users/user/", s.searchUsers)
	mux.HandleFunc("/users/user", s.searchUsers)
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	log.Printf("baseline-go listening on %s", *addr)
	log.Fatal((&http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}).ListenAndServe())
}

// ------------------------------------------------------------------------------------------- routes

func (s *server) private(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/private/"), "/"), "/")
	switch {
	case r.Method == http.MethodGet && len(parts) == 1 && parts[0] == "chat-list":
		s.chats(w, r)
	case r.Method == http.MethodGet && len(parts) == 2 && parts[1] == "messages":
		s.messages(w, r, parts[0])
	case r.Method == http.MethodPost && len(parts) == 2 && parts[0] == "add-message":
		s.addMessage(w, r, parts[1])
	default:
		fail(w, http.StatusNotFound, "Not Found")
	}
}

// GET /private/{chat_id}/messages
func (s *server) messages(w http.ResponseWriter, r *http.Request, chatText string) {
	user, ok := caller(w, r)
	if !ok {
		return
	}
	chatID, ok := chatID(w, chatText)
	if !ok {
		return
	}
	query := r.URL.Query()
	limit, ok := limitParam(w, query, 1, 100, 50)
	if !ok {
		return
	}
	offset := int64(0)
	if text, given := query["offset"]; given {
		value, err := strconv.ParseInt(text[0], 10, 64)
		if err != nil || value < 0 {
			fail(w, 422, "offset must be a non-negative integer")
			return
		}
		offset = value
	}
	rows, err := s.messagePage.QueryContext(r.Context(), chatID, user, limit+1, offset)
	if err != nil {
		unavailable(w, err)
		return
	}
	defer rows.Close()
	buf := getBuffer()
	defer putBuffer(buf)
	b := append(buf.b[:0], '[')
	count := int64(0)
	for rows.Next() {
		var m message
		var owner profile
		if err := rows.Scan(&m.id, &m.chatID, &m.ownerID, &m.text, &m.answerID, &m.createdAt, &m.kind, &m.data,
			&m.editedAt, &owner.username, &owner.avatarURL, &owner.avatarKey); err != nil {
			unavailable(w, err)
			return
		}
		count++
		if count > limit {
			continue
		}
		if count > 1 {
			b = append(b, ',')
		}
		b = s.appendMessage(b, &m, &owner)
	}
	if err := rows.Err(); err != nil {
		unavailable(w, err)
		return
	}
	if count == 0 {
		var member bool
		switch err := s.access.QueryRowContext(r.Context(), chatID, user).Scan(&member); {
		case err == sql.ErrNoRows:
			fail(w, http.StatusNotFound, "Chat not found")
			return
		case err != nil:
			unavailable(w, err)
			return
		case !member:
			fail(w, http.StatusForbidden, "You are not a member of this chat")
			return
		}
	}
	b = append(b, ']')
	buf.b = b
	w.Header().Set("X-Has-More", strconv.FormatBool(count > limit))
	writeJSON(w, http.StatusOK, b)
}

// GET /private/chat-list/
func (s *server) chats(w http.ResponseWriter, r *http.Request) {
	user, ok := caller(w, r)
	if !ok {
		return
	}
	query := r.URL.Query()
	limit, ok := limitParam(w, query, 1, 200, 100)
	if !ok {
		return
	}
	var before sql.NullString
	var beforeID sql.NullInt64
	if query.Has("before") || query.Has("before_id") {
		id, err := strconv.ParseInt(query.Get("before_id"), 10, 64)
		if !query.Has("before") || err != nil || id <= 0 {
			fail(w, 422, "before and before_id go together: the last_activity_at and id of the last chat of a page")
			return
		}
		before = sql.NullString{String: query.Get("before"), Valid: true}
		beforeID = sql.NullInt64{Int64: id, Valid: true}
	}
	rows, err := s.chatList.QueryContext(r.Context(), user, limit+1, before, beforeID)
	if err != nil {
		unavailable(w, err)
		return
	}
	defer rows.Close()
	buf := getBuffer()
	defer putBuffer(buf)
	b := append(buf.b[:0], '[')
	count := int64(0)
	for rows.Next() {
		var (
			id, memberCount, unread, mentions int64
			kind, lastActivity                string
			title                             sql.NullString
			peerID                            sql.NullInt64
			peer, owner                       profile
			last                              struct {
				id, chatID, ownerID sql.NullInt64
				text, kind          sql.NullString
				answerID            sql.NullInt64
				createdAt           sql.NullTime
				data                sql.NullString
				editedAt            sql.NullTime
			}
		)
		if err := rows.Scan(&id, &kind, &title, &peerID, &peer.username, &peer.avatarURL, &peer.avatarKey,
			&memberCount, &lastActivity, &unread, &mentions, &last.id, &last.chatID, &last.ownerID, &last.text,
			&last.answerID, &last.createdAt, &last.kind, &last.data, &last.editedAt, &owner.username,
			&owner.avatarURL, &owner.avatarKey); err != nil {
			unavailable(w, err)
			return
		}
		count++
		if count > limit {
			continue
		}
		if count > 1 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, id, 10)
		b = append(b, `,"type":`...)
		b = appendString(b, kind)
		b = append(b, `,"title":`...)
		b = appendNullString(b, title)
		b = append(b, `,"peer":`...)
		if peerID.Valid {
			b = s.appendSummary(b, peerID.Int64, &peer)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"member_count":`...)
		b = strconv.AppendInt(b, memberCount, 10)
		b = append(b, `,"last_message":`...)
		if last.id.Valid && last.chatID.Valid && last.ownerID.Valid && last.text.Valid && last.createdAt.Valid &&
			last.kind.Valid {
			m := message{id: last.id.Int64, chatID: last.chatID.Int64, ownerID: last.ownerID.Int64,
				text: last.text.String, answerID: last.answerID, createdAt: last.createdAt.Time, kind: last.kind.String,
				data: last.data, editedAt: last.editedAt}
			b = s.appendMessage(b, &m, &owner)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"unread_count":`...)
		b = strconv.AppendInt(b, unread, 10)
		b = append(b, `,"mention_count":`...)
		b = strconv.AppendInt(b, mentions, 10)
		b = append(b, `,"last_activity_at":`...)
		b = appendString(b, lastActivity)
		b = append(b, '}')
	}
	if err := rows.Err(); err != nil {
		unavailable(w, err)
		return
	}
	b = append(b, ']')
	buf.b = b
	w.Header().Set("X-Has-More", strconv.FormatBool(count > limit))
	writeJSON(w, http.StatusOK, b)
}

// GET /users/user/?username=
func (s *server) searchUsers(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		fail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	if _, ok := caller(w, r); !ok {
		return
	}
	username := r.URL.Query().Get("username")
	if username == "" {
		fail(w, 422, "Query parameter 'username' is required")
		return
	}
	if utf8.RuneCountInString(username) > 64 {
		writeJSON(w, http.StatusOK, []byte("[]"))
		return
	}
	rows, err := s.search.QueryContext(r.Context(), username)
	if err != nil {
		unavailable(w, err)
		return
	}
	defer rows.Close()
	buf := getBuffer()
	defer putBuffer(buf)
	b := append(buf.b[:0], '[')
	first := true
	for rows.Next() {
		var id int64
		var p profile
		var lastOnline sql.NullTime
		var online bool
		if err := rows.Scan(&id, &p.username, &p.avatarURL, &p.avatarKey, &lastOnline, &online); err != nil {
			unavailable(w, err)
			return
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, id, 10)
		b = append(b, `,"username":`...)
		b = appendString(b, p.username.String)
		b = append(b, `,"avatar_url":`...)
		b = s.appendAvatar(b, &p)
		b = append(b, `,"is_online":`...)
		b = strconv.AppendBool(b, online)
		b = append(b, `,"last_online_at":`...)
		b = appendTime(b, lastOnline)
		b = append(b, '}')
	}
	if err := rows.Err(); err != nil {
		unavailable(w, err)
		return
	}
	b = append(b, ']')
	buf.b = b
	writeJSON(w, http.StatusOK, b)
}

// POST /private/add-message/{chat_id}/
func (s *server) addMessage(w http.ResponseWriter, r *http.Request, chatText string) {
	user, ok := caller(w, r)
	if !ok {
		return
	}
	chatID, ok := chatID(w, chatText)
	if !ok {
		return
	}
	var input struct {
		Text            *string `json:"text"`
		MessageAnswerID *int64  `json:"message_answer_id"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&input); err != nil || input.Text == nil {
		fail(w, 422, "The body must be a JSON object with a string 'text'")
		return
	}
	if n := utf8.RuneCountInString(*input.Text); n < 1 || n > 4000 || strings.TrimFunc(*input.Text, unicode.IsSpace) == "" {
		fail(w, 422, "Message text must be 1-4000 characters")
		return
	}
	var answer sql.NullInt64
	if input.MessageAnswerID != nil {
		answer = sql.NullInt64{Int64: *input.MessageAnswerID, Valid: true}
	}
	tx, err := s.db.BeginTx(r.Context(), nil)
	if err != nil {
		unavailable(w, err)
		return
	}
	defer tx.Rollback()
	var id int64
	switch err := tx.Stmt(s.insert).QueryRowContext(r.Context(), chatID, user, *input.Text, answer).Scan(&id); {
	case err == sql.ErrNoRows:
		tx.Rollback()
		s.refusal(w, r, chatID, user)
		return
	case err != nil:
		unavailable(w, err)
		return
	}
	if _, err := tx.Stmt(s.touch).ExecContext(r.Context(), chatID, user, id); err != nil {
		unavailable(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		unavailable(w, err)
		return
	}
	b := append([]byte(`{"detail":"Success add.","id":`), strconv.FormatInt(id, 10)...)
	writeJSON(w, http.StatusOK, append(b, '}'))
}

// Why the INSERT stored nothing: no chat (404), not a member (403), else the answered message is elsewhere.
func (s *server) refusal(w http.ResponseWriter, r *http.Request, chatID, user int64) {
	var member bool
	switch err := s.access.QueryRowContext(r.Context(), chatID, user).Scan(&member); {
	case err == sql.ErrNoRows:
		fail(w, http.StatusNotFound, "Chat not found")
	case err != nil:
		unavailable(w, err)
	case !member:
		fail(w, http.StatusForbidden, "You are not a member of this chat")
	default:
		fail(w, 422, "message_answer_id must be a message of this chat")
	}
}

// ----------------------------------------------------------------------------------------- requests

// The caller the trusted proxy names in X-User-Id.
func caller(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.Header.Get("X-User-Id"), 10, 64)
	if err != nil || id <= 0 {
		fail(w, http.StatusUnauthorized, "Not authenticated")
		return 0, false
	}
	return id, true
}

func chatID(w http.ResponseWriter, text string) (int64, bool) {
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		fail(w, 422, "chat_id must be a positive integer")
		return 0, false
	}
	return id, true
}

func limitParam(w http.ResponseWriter, query map[string][]string, low, high, fallback int64) (int64, bool) {
	text, given := query["limit"]
	if !given {
		return fallback, true
	}
	value, err := strconv.ParseInt(text[0], 10, 64)
	if err != nil || value < low || value > high {
		fail(w, 422, "limit must be an integer in "+strconv.FormatInt(low, 10)+"-"+strconv.FormatInt(high, 10))
		return 0, false
	}
	return value, true
}

// ------------------------------------------------------------------------------------------ answers

type message struct {
	id, chatID, ownerID int64
	text, kind          string
	answerID            sql.NullInt64
	createdAt           time.Time
	data                sql.NullString
	editedAt            sql.NullTime
}

// A user's profile columns, all NULL when the profile is gone.
type profile struct {
	username, avatarURL, avatarKey sql.NullString
}

// A message as the messenger's MessageOutput writes it.
func (s *server) appendMessage(b []byte, m *message, owner *profile) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, m.id, 10)
	b = append(b, `,"text":`...)
	b = appendString(b, m.text)
	b = append(b, `,"answer":`...)
	if m.answerID.Valid {
		b = strconv.AppendInt(b, m.answerID.Int64, 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"chat_id":`...)
	b = strconv.AppendInt(b, m.chatID, 10)
	b = append(b, `,"message_owner":`...)
	b = s.appendSummary(b, m.ownerID, owner)
	b = append(b, `,"created_at":`...)
	b = appendTime(b, sql.NullTime{Time: m.createdAt, Valid: true})
	b = append(b, `,"type":`...)
	b = appendString(b, m.kind)
	b = append(b, `,"data":`...)
	if m.data.Valid {
		b = append(b, m.data.String...) // jsonb text, as PostgreSQL spells it
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"edited_at":`...)
	b = appendTime(b, m.editedAt)
	return append(b, '}')
}

// {id, username, avatar_url}; a missing profile is the messenger's "deleted user".
func (s *server) appendSummary(b []byte, id int64, p *profile) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `,"username":`...)
	if !p.username.Valid {
		return append(b, `"deleted user","avatar_url":null}`...)
	}
	b = appendString(b, p.username.String)
	b = append(b, `,"avatar_url":`...)
	b = s.appendAvatar(b, p)
	return append(b, '}')
}

// An uploaded avatar (its key under the media base URL) wins over a linked one.
func (s *server) appendAvatar(b []byte, p *profile) []byte {
	if p.avatarKey.Valid {
		return appendString(b, s.mediaBase+"/"+encodePath(p.avatarKey.String))
	}
	return appendNullString(b, p.avatarURL)
}

// SigV4's UriEncode of a path: keeps A-Z a-z 0-9 - . _ ~ and /, else %XY.
func encodePath(key string) string {
	const hex = "0123456789ABCDEF"
	var out []byte
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			out = append(out, c)
		} else {
			out = append(out, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(out)
}

func appendNullString(b []byte, s sql.NullString) []byte {
	if !s.Valid {
		return append(b, "null"...)
	}
	return appendString(b, s.String)
}

// YYYY-MM-DDTHH:MM:SSZ in UTC, to the second (fractions dropped), or null.
func appendTime(b []byte, t sql.NullTime) []byte {
	if !t.Valid {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.Time.UTC().AppendFormat(b, "2006-01-02T15:04:05Z")
	return append(b, '"')
}

// A JSON string as the messenger's JSONWriter writes it: only ", \ and control characters escaped.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case 0x08:
			b = append(b, '\\', 'b')
		case 0x0C:
			b = append(b, '\\', 'f')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

type buffer struct{ b []byte }

var buffers = sync.Pool{New: func() any { return &buffer{b: make([]byte, 0, 16<<10)} }}

func getBuffer() *buffer  { return buffers.Get().(*buffer) }
func putBuffer(b *buffer) { buffers.Put(b) }

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json; charset=utf-8"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	w.Write(body)
}

func fail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, append(appendString([]byte(`{"detail":`), detail), '}'))
}

func unavailable(w http.ResponseWriter, err error) {
	log.Printf("database: %v", err)
	fail(w, http.StatusServiceUnavailable, "PostgreSQL is unavailable, try again later")
}
