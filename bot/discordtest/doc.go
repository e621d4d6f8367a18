// Package discordtest emulates the parts of Discord that govbot uses, for
// tests that drive the real discordgo client.
//
// A Server is an httptest server on a loopback port that speaks Discord's
// REST API (under /api/v9 and /api/v10) and its gateway (JSON over a
// websocket). Point discordgo at it by setting Session.Client.Transport to
// Transport(srv.URL(), nil): every REST call to https://discord.com then
// lands on the emulator, and Open dials the gateway URL it returns from
// GET /gateway.
//
// Typical use:
//
//	srv := discordtest.NewTest(t, discordtest.Options{})
//	dg, _ := discordgo.New("Bot " + srv.Token())
//	dg.Client.Transport = discordtest.Transport(srv.URL(), nil)
//	// add handlers, dg.Open(), register commands ...
//	ix, err := srv.SlashCommand(ctx, "ask", []discordtest.Option{{Name: "question", Value: "what?"}}, discordtest.Member{}, "")
//	msg, err := ix.Final(ctx) // the response as the user sees it
//	if v := srv.Violations(); len(v) > 0 { t.Errorf("broke Discord's rules: %q", v) }
//
// # What it emulates
//
//   - Gateway: HELLO, IDENTIFY (token, intents: unknown bits close 4013,
//     privileged intents listed in Options.DeniedIntents close 4014) → READY
//     then GUILD_CREATE for one guild; heartbeats and ACKs (a connection
//     silent for two intervals and a second is closed with 4009); sequence numbers on
//     every dispatch; RESUME with replay of missed dispatches, then RESUMED;
//     op 9 for an unknown session; op 7 on RequestReconnect; a 1000/1001
//     close from the client ends the session. Dispatches are plain JSON text
//     frames, or zlib-compressed binary frames with Options.Compress.
//   - Intents: MESSAGE_CREATE/UPDATE/DELETE need Guild Messages; without
//     Message Content the content, embeds, attachments and components of
//     messages that neither come from nor mention the bot arrive empty.
//     Interactions need no intent.
//   - Interactions: SlashCommand, Autocomplete and ClickButton dispatch
//     INTERACTION_CREATE with a fresh id and token. The first callback must
//     arrive within Options.AckTimeout (3 s), else the interaction fails, a
//     violation is recorded and late callbacks get 404 Unknown interaction
//     (10062); a second callback gets 400 (40060); callback types must fit
//     the interaction type. Tokens expire after Options.TokenTTL (15 min):
//     webhook calls then get 401 (50027). PATCH/GET/DELETE of @original and
//     followups, POST followups (?wait=true); the first followup after a
//     deferred response fills the loading message, like Discord.
//   - Messages: POST/GET/PATCH/DELETE /channels/{id}/messages(/{id}), replies
//     (message_reference to an unknown message is 400 unless
//     fail_if_not_exists is false), typing, own reactions, multipart bodies
//     (payload_json + files[n]; uploads are served under /attachments/).
//   - Attachments: AddAttachment stores a file as a user's upload, for a
//     message or an attachment option (resolved data included);
//     ForgeAttachment makes one that lies about its URL, size or name.
//     mentions, mention_roles and mention_everyone honour allowed_mentions.
//     Non-ephemeral bot messages (interaction responses included) are
//     dispatched back to the bot as MESSAGE_CREATE/UPDATE, as Discord does.
//   - Replies: PostMessage with a MessageReference makes a type-19 reply
//     with message_reference (channel and guild filled) and the
//     referenced_message, or referenced_message null when the message is
//     gone; a reply pings the replied-to author unless allowed_mentions
//     says otherwise.
//   - DMs: DMChannel(user) (or POST /users/@me/channels) opens the DM
//     channel; PostMessage to it is a DM: no guild_id, no member, dispatched
//     to sessions with the Direct Messages intent, content always included.
//   - Threads: StartThread (a user) or POST /channels/{id}/messages/{id}/threads
//     and POST /channels/{id}/threads (the bot, needing Create Public
//     Threads) open a public thread: from a message it takes the message's
//     id and the message gets "thread" and HAS_THREAD; THREAD_CREATE
//     (Guilds intent, newly_created) follows; GUILD_CREATE lists active
//     threads; a second thread on one message is 400 (160004), a thread in a
//     thread or DM 400 (50024). Messages in a thread are guild messages
//     (Message Content rules apply); posting in one needs Send Messages in
//     Threads (403 and a violation without). Thread-member join/leave are
//     accepted. Reactions of the bot are kept (Reactions).
//   - Commands: bulk overwrite (PUT), create, get, edit, delete of global and
//     guild commands, validated; ids are kept for commands with the same
//     name and type.
//   - Errors are Discord's JSON ({"message", "code", "errors"}) with its
//     codes; every response carries X-RateLimit-* headers of a generous
//     per-route bucket (50 requests/s, 429 beyond).
//
// # Violations
//
// Every payload that breaks one of Discord's rules is answered like
// Discord (mostly HTTP 400 Invalid Form Body, 50035) and recorded in
// Violations: message limits (content 2000, 10 embeds, title 256,
// description 4096, 25 fields, field name 256 and value 1024 and both
// required, footer 2048, author 256, 6000 in all embeds, http(s) URLs),
// components (5 action rows, 5 buttons per row, custom_id 1-100 and unique,
// label 80, link buttons need a URL), allowed_mentions conflicts, empty
// messages, 25 autocomplete choices, command registration (names 1-32
// lowercase [-_\p{L}\p{N}], descriptions 1-100, option rules), type-5
// callbacks with flags other than 64, wrong callback types, double
// acknowledgement. Two rules are recorded but accepted: a message created
// without allowed_mentions ("no allowed_mentions": callback type 4,
// followups, POST /channels/{id}/messages, and the first edit of a deferred
// response), and an interaction not acknowledged in time.
//
// # What it does not emulate
//
// Slash commands in DMs, private threads, archiving, thread members, the
// thread starter (type 21) and "thread created" (type 18) system messages,
// voice, presences, members beyond the interaction's,
// permission checks on REST calls other than threads and reactions,
// default_member_permissions (every member
// may invoke every command, as if an admin allowed it: the bot's own check
// is what protects), sharding beyond validating the shard pair, ETF
// encoding, zlib-stream transport compression, the global rate limit,
// gateway send limits, modal submissions, select-menu interactions and the
// detail of Components V2 layouts. Error codes and messages follow
// Discord's documentation where known and are otherwise close.
//
// # discordgo behaviour seen through the emulator (v0.29.0)
//
//   - Session.Close sleeps 1 s after its close frame, always; so does the
//     reconnect after a read error, before it RESUMEs (it never calls
//     GET /gateway again). Op 7 makes it close with 1012 and resume. Set
//     ShouldReconnectOnError = false under the session's lock (dg.Lock())
//     before Close, or the race detector may see the write race a
//     reconnect.
//   - Open returns once READY is read; GUILD_CREATE is handled later. Its
//     State overwrites READY's guild objects in place on GUILD_CREATE, so a
//     Ready handler (its own goroutine) that reads r.Guilds is a data race.
//   - A wrong token makes Open return *websocket.CloseError with code 4004;
//     a denied privileged intent, 4014. discordgo's default intents are
//     IntentsAllWithoutPrivileged (no Message Content).
//   - InteractionResponseEdit, WebhookMessageEdit/Delete and WebhookMessage
//     share one rate-limit bucket ("webhooks//") that discordgo holds for
//     the whole HTTP round trip: such calls are serialised across all
//     interactions. InteractionRespond and FollowupMessageCreate are
//     bucketed per URL and run in parallel.
//
// All Server and Interaction methods are safe for concurrent use. Values
// returned (messages, commands, requests) are copies owned by the caller.
// Call Close when done (NewTest registers it with t.Cleanup); Logf is not
// called after Close returns.
package discordtest
