package fakediscord

import "fmt"

// Member is who clicks or types in an interaction.
type Member struct {
	UserID, Name string
	Permissions  int64 // e.g. 32 for Manage Server
	Roles        []string
}

func (f *Server) interaction(typ int, channelID string, m Member, data map[string]any, message map[string]any) string {
	f.mu.Lock()
	id := f.id()
	f.mu.Unlock()
	roles := m.Roles
	if roles == nil {
		roles = []string{}
	}
	ic := map[string]any{
		"id": id, "application_id": f.AppID, "type": typ, "data": data, "guild_id": "300000000000000001", "channel_id": channelID,
		"member": map[string]any{"user": map[string]any{"id": m.UserID, "username": m.Name, "discriminator": "0"}, "roles": roles,
			"permissions": fmt.Sprint(m.Permissions), "nick": nil},
		"token": "itoken-" + id, "version": 1, "locale": "en-US",
	}
	if message != nil {
		ic["message"] = message
	}
	f.Dispatch("INTERACTION_CREATE", ic)
	return id
}

// Command sends a slash command; options are Discord's option objects.
func (f *Server) Command(channelID string, m Member, name string, options ...map[string]any) string {
	if options == nil {
		options = []map[string]any{}
	}
	return f.interaction(2, channelID, m, map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": options}, nil)
}

// Autocomplete sends an autocomplete request with the focused option.
func (f *Server) Autocomplete(channelID string, m Member, name, option, typed string) string {
	return f.interaction(4, channelID, m, map[string]any{"id": "cmd-" + name, "name": name, "type": 1,
		"options": []map[string]any{{"name": option, "type": 3, "value": typed, "focused": true}}}, nil)
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
