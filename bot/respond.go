package bot

import (
	"github.com/bwmarrin/discordgo"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/internal/text"
)

const ephemeralFlag = int(discordgo.MessageFlagsEphemeral)

// body is every message or interaction-callback body the bot sends. The
// bot writes its own bodies instead of discordgo's, which send null for
// empty fields ("embeds": null, "choices" left out); Discord's schema
// wants them absent, or "choices": [] for an autocomplete with no match.
type body struct {
	Content         string                  `json:"content,omitempty"`
	Embeds          []digest.Embed          `json:"embeds,omitempty"`
	Components      *[]digest.ActionRow     `json:"components,omitempty"` // a pointer: [] clears a message's buttons
	AllowedMentions *digest.AllowedMentions `json:"allowed_mentions,omitempty"`
	Flags           int                     `json:"flags,omitempty"`
	Attachments     []attachment            `json:"attachments,omitempty"`
}

type attachment struct {
	ID       int    `json:"id"`
	Filename string `json:"filename"`
}

// message is a body that mentions nobody.
func message(content string) body {
	m := digest.NoMentions()
	return body{Content: content, AllowedMentions: &m}
}

// send posts data as JSON, or as multipart with the files.
func (b *Bot) request(method, url, bucket string, data any, files []*discordgo.File) ([]byte, error) {
	if len(files) == 0 {
		return b.s.RequestWithBucketID(method, url, data, bucket)
	}
	ct, raw, err := discordgo.MultipartBodyWithJSON(data, files)
	if err != nil {
		return nil, err
	}
	return b.s.RequestRaw(method, url, ct, raw, bucket, 0)
}

// callback answers an interaction (POST /interactions/{id}/{token}/callback).
func (b *Bot) callback(ic *discordgo.InteractionCreate, typ discordgo.InteractionResponseType, data any, files []*discordgo.File) error {
	payload := map[string]any{"type": typ}
	if data != nil {
		payload["data"] = data
	}
	_, err := b.request("POST", discordgo.EndpointInteractionResponse(ic.ID, ic.Token), discordgo.EndpointInteractionResponse(ic.ID, ""), payload, files)
	return err
}

// editOriginal edits the deferred answer.
func (b *Bot) editOriginal(ic *discordgo.InteractionCreate, data body, files []*discordgo.File) error {
	_, err := b.request("PATCH", discordgo.EndpointInteractionResponseActions(ic.AppID, ic.Token), discordgo.EndpointInteractionResponseActions(ic.AppID, ""), data, files)
	return err
}

// followup sends one more message for an interaction.
func (b *Bot) followup(ic *discordgo.InteractionCreate, data body, files []*discordgo.File) error {
	_, err := b.request("POST", discordgo.EndpointFollowupMessage(ic.AppID, ic.Token)+"?wait=true", discordgo.EndpointFollowupMessage(ic.AppID, ""), data, files)
	return err
}

// answer is the one path every command reply takes: the interaction's
// response (or the edit of the deferred one). It is ephemeral and it
// mentions nobody.
func (b *Bot) answer(ic *discordgo.InteractionCreate, deferred bool, r *reply) {
	m := message(text.Clip(r.content, digest.MaxContent))
	m.Flags = ephemeralFlag
	var files []*discordgo.File
	if r.file != nil {
		files = []*discordgo.File{r.file}
		m.Attachments = []attachment{{ID: 0, Filename: r.file.Name}}
	}
	var err error
	if deferred {
		m.Flags = 0 // the deferred answer's flags decided that already
		err = b.editOriginal(ic, m, files)
	} else {
		err = b.callback(ic, discordgo.InteractionResponseChannelMessageWithSource, m, files)
	}
	if err != nil {
		b.discordErr("respond", err)
	}
}

func (b *Bot) discordErr(what string, err error) {
	b.Metrics.DiscordErrors.Add(1)
	b.log.Warn("discord request failed", "what", what, "err", redact(err, b.o.Token))
}
