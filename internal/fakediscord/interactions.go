package fakediscord

import "fmt"

// Member is who clicks or types in an interaction.
type Member struct {
	UserID, Name string
	Permissions  int64 // e.g. 32 for Manage Server
	Roles        []string
	Locale       string // the client's language; default en-US
}

// DefaultAppPermissions are what the bot holds in a channel unless
// SetAppPermissions says otherwise: View Channel, Send Messages, Embed
// Links, Create Public Threads, Send Messages in Threads, Read Message
// History.
const DefaultAppPermissions int64 = 1<<10 | 1<<11 | 1<<14 | 1<<16 | 1<<35 | 1<<38

func (f *Server) interaction(typ int, channelID string, m Member, data map[string]any, message map[string]any) string {
	f.mu.Lock()
	id := f.id()
	f.mu.Unlock()
	roles := m.Roles
	if roles == nil {
		roles = []string{}
	}
	locale := m.Locale
	if locale == "" {
		locale = "en-US"
	}
	f.mu.Lock()
	perms, ok := f.appPerms[channelID]
	guild := f.guildOf[channelID]
	f.mu.Unlock()
	if guild == "" {
		guild = "300000000000000001"
	}
	if !ok {
		perms = DefaultAppPermissions
	}
	ic := map[string]any{
		"id": id, "application_id": f.AppID, "type": typ, "data": data, "guild_id": guild, "channel_id": channelID,
		"member": map[string]any{"user": map[string]any{"id": m.UserID, "username": m.Name, "discriminator": "0"}, "roles": roles,
			"permissions": fmt.Sprint(m.Permissions), "nick": nil},
		"token": "itoken-" + id, "version": 1, "locale": locale, "guild_locale": "en-US",
		"app_permissions": fmt.Sprint(perms), "context": 0,
	}
	if message != nil {
		ic["message"] = message
	}
	f.Dispatch("INTERACTION_CREATE", ic)
	return id
}

// DirectMessage sends a slash command from a DM with the bot: no guild,
// no member, only the user (context 1).
func (f *Server) DirectMessage(m Member, name string) string {
	f.mu.Lock()
	id := f.id()
	f.mu.Unlock()
	f.Dispatch("INTERACTION_CREATE", map[string]any{
		"id": id, "application_id": f.AppID, "type": 2, "channel_id": "900000000000000001", "context": 1,
		"data":  map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": []any{}},
		"user":  map[string]any{"id": m.UserID, "username": m.Name, "discriminator": "0"},
		"token": "itoken-" + id, "version": 1, "locale": "en-US", "app_permissions": fmt.Sprint(DefaultAppPermissions),
	})
	return id
}

// Command sends a slash command; options are Discord's option objects.
func (f *Server) Command(channelID string, m Member, name string, options ...map[string]any) string {
	if options == nil {
		options = []map[string]any{}
	}
	return f.interaction(2, channelID, m, map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": options}, nil)
}

// Autocomplete sends an autocomplete request with the focused option;
// with sub set, the option sits under that subcommand.
func (f *Server) Autocomplete(channelID string, m Member, name, option, typed string, sub ...string) string {
	opts := []map[string]any{{"name": option, "type": 3, "value": typed, "focused": true}}
	if len(sub) > 0 {
		opts = []map[string]any{{"name": sub[0], "type": 1, "options": opts}}
	}
	return f.interaction(4, channelID, m, map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": opts}, nil)
}

// CommandWithFile sends a slash command whose attachment option (named
// option, under the subcommand sub) carries a file the fake serves from
// its CDN path, as Discord does.
func (f *Server) CommandWithFile(channelID string, m Member, name, sub, option, filename string, content []byte, options ...map[string]any) string {
	f.mu.Lock()
	attID := f.id()
	f.files[attID] = content
	f.mu.Unlock()
	opts := append([]map[string]any{{"name": option, "type": 11, "value": attID}}, options...)
	att := map[string]any{"id": attID, "filename": filename, "size": len(content), "url": f.HTTP.URL + "/attachments/" + attID + "/" + filename,
		"proxy_url": f.HTTP.URL + "/attachments/" + attID + "/" + filename, "content_type": "text/x-opml"}
	return f.interaction(2, channelID, m, map[string]any{"id": "cmd-" + name, "name": name, "type": 1,
		"options": []map[string]any{{"name": sub, "type": 1, "options": opts}}, "resolved": map[string]any{"attachments": map[string]any{attID: att}}}, nil)
}

// SetAppPermissions sets the bot's permissions in a channel, as Discord
// reports them in app_permissions.
func (f *Server) SetAppPermissions(channelID string, perms int64) {
	f.mu.Lock()
	f.appPerms[channelID] = perms
	f.mu.Unlock()
}

// Click presses a button on a stored message.
func (f *Server) Click(channelID string, m Member, customID string, msg Message) string {
	return f.interaction(3, channelID, m, map[string]any{"custom_id": customID, "component_type": 2}, messageJSON(msg))
}

// Opt is a string option.
func Opt(name string, value any) map[string]any {
	t := 3
	switch value.(type) {
	case float64:
		t = 10
	case bool:
		t = 5
	}
	return map[string]any{"name": name, "type": t, "value": value}
}

// Sub is a subcommand with its options.
func Sub(name string, options ...map[string]any) map[string]any {
	if options == nil {
		options = []map[string]any{}
	}
	return map[string]any{"name": name, "type": 1, "options": options}
}
