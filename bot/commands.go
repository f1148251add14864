package bot

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/triagebot/triagebot/news"
)

// who may run a command, beyond what Discord decides. Discord enforces
// default_member_permissions and the server's own command permission
// overrides (Server Settings → Integrations) before an interaction reaches
// us, so the bot does not second-guess them; it only checks what Discord
// cannot know: who the show's hosts are.
type access int

const (
	anyone   access = iota
	hostOnly        // discord.hosts / discord.host_roles, when configured
)

// command is one slash command: its definition as data and its handler.
type command struct {
	def  *discordgo.ApplicationCommand
	who  access
	slow bool // answer with a deferred (ephemeral) response first, then edit it
	run  func(b *Bot, ic *discordgo.InteractionCreate) (*reply, error)
}

// reply is a handler's answer, always ephemeral: only the asker reads
// it. after runs once the answer is sent (updating posted messages must
// not eat into Discord's three seconds).
type reply struct {
	content string
	file    *discordgo.File
	after   func()
}

var nameRE = regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)

func manageServer() *int64 {
	p := int64(discordgo.PermissionManageGuild)
	return &p
}

func guildOnly() *[]discordgo.InteractionContextType {
	return &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
}

// zh is a zh-TW localization map.
func zh(s string) *map[discordgo.Locale]string {
	return &map[discordgo.Locale]string{discordgo.ChineseTW: s}
}

func zhv(s string) map[discordgo.Locale]string { return *zh(s) }

// opt builds an option with its zh-TW name and description.
func opt(t discordgo.ApplicationCommandOptionType, name, zhName, desc, zhDesc string, required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: t, Name: name, NameLocalizations: zhv(zhName), Description: desc,
		DescriptionLocalizations: zhv(zhDesc), Required: required}
}

func choice(name, zhName, value string) *discordgo.ApplicationCommandOptionChoice {
	return &discordgo.ApplicationCommandOptionChoice{Name: name, NameLocalizations: zhv(zhName), Value: value}
}

// cmd builds a guild-only command with its zh-TW name and description.
func cmd(name, zhName, desc, zhDesc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
	return &discordgo.ApplicationCommand{Name: name, NameLocalizations: zh(zhName), Description: desc, DescriptionLocalizations: zh(zhDesc),
		Contexts: guildOnly(), Options: opts}
}

func managed(c *discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
	c.DefaultMemberPermissions = manageServer()
	return c
}

func (b *Bot) commands() []command {
	str, boolean := discordgo.ApplicationCommandOptionString, discordgo.ApplicationCommandOptionBoolean
	label := func() *discordgo.ApplicationCommandOption {
		o := opt(str, "label", "分類", "research, product or other", "研究、產品或其他", true)
		o.Choices = []*discordgo.ApplicationCommandOptionChoice{choice("research", "研究", "research"), choice("product", "產品", "product"), choice("other", "其他", "other")}
		return o
	}
	item := func() *discordgo.ApplicationCommandOption {
		o := opt(str, "item", "項目", "type words of the title (or an item id or link)", "輸入標題中的字詞（或項目編號、連結）", true)
		o.Autocomplete = true
		return o
	}
	feedName := func(autocomplete bool) *discordgo.ApplicationCommandOption {
		o := opt(str, "name", "名稱", "the feed's name", "訂閱源名稱", true)
		o.Autocomplete = autocomplete
		return o
	}
	sections := opt(str, "sections", "區塊", "which sections (default: all)", "要哪些區塊（預設：全部）", false)
	sections.Choices = []*discordgo.ApplicationCommandOptionChoice{choice("all", "全部", "all"), choice("research", "研究", "research"),
		choice("product", "產品", "product"), choice("other", "其他", "other"), choice("research and product", "研究與產品", "research,product")}
	kind := opt(str, "kind", "類型", "paper, news or blog", "論文、新聞或部落格", true)
	kind.Choices = []*discordgo.ApplicationCommandOptionChoice{choice("paper", "論文", "paper"), choice("news", "新聞", "news"), choice("blog", "部落格", "blog")}
	importKind := opt(str, "kind", "類型", "kind for feeds outside a paper/news/blog folder", "不在論文／新聞／部落格資料夾中的訂閱源類型", false)
	importKind.Choices = kind.Choices
	sub := func(name, zhName, desc, zhDesc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		o := opt(discordgo.ApplicationCommandOptionSubCommand, name, zhName, desc, zhDesc, false)
		o.Options = opts
		return o
	}
	return []command{
		{def: managed(cmd("subscribe", "訂閱", "Post the weekly AI news digest in this channel", "在此頻道張貼每週 AI 新聞摘要", sections,
			opt(discordgo.ApplicationCommandOptionRole, "role", "身分組", "a role to mention when the week's digest is posted", "張貼每週摘要時要提及的身分組", false))),
			run: (*Bot).cmdSubscribe},
		{def: managed(cmd("unsubscribe", "取消訂閱", "Stop the weekly digest in this channel", "停止在此頻道張貼每週摘要")), run: (*Bot).cmdUnsubscribe},
		{def: cmd("digest", "週報", "Show a week's digest to you alone, or post it here for everyone", "只給你看某週的週報，或公開張貼在這裡",
			opt(str, "week", "週次", "2026-W48, W48, this week, last week or a date (default: this week)", "2026-W48、W48、本週、上週或日期（預設：本週）", false),
			opt(boolean, "public", "公開", "post it in this channel's week thread for everyone (hosts)", "公開張貼到此頻道的本週討論串（主持人）", false)),
			slow: true, run: (*Bot).cmdDigest},
		{def: cmd("tag", "標記", "Label an item research, product or other; the classifier learns from it", "將項目標記為研究、產品或其他；分類器會從中學習",
			item(), label()), who: hostOnly, run: (*Bot).cmdTag},
		{def: cmd("untag", "取消標記", "Take back the tag on an item", "取消項目的標記", item()), who: hostOnly, run: (*Bot).cmdUntag},
		{def: cmd("pick", "選題", "Pick an item for the episode", "將項目選入本集", item()), who: hostOnly, run: (*Bot).cmdPick},
		{def: cmd("unpick", "取消選題", "Take back your pick of an item", "取消你對項目的選題", item()), who: hostOnly, run: (*Bot).cmdUnpick},
		{def: cmd("episode", "本集", "The picked stories by section, as show notes to publish", "依區塊列出選題，附上可發布的節目筆記"),
			slow: true, run: (*Bot).cmdEpisode},
		{def: managed(cmd("feeds", "訂閱源", "Manage the feeds", "管理訂閱源",
			sub("add", "新增", "Add a feed (it is fetched once first)", "新增訂閱源（會先抓取一次）", feedName(false),
				opt(str, "url", "網址", "the feed's http(s) URL", "訂閱源的 http(s) 網址", true), kind,
				opt(discordgo.ApplicationCommandOptionNumber, "weight", "權重", "ranking weight, 0 to 10 (default 1)", "排序權重，0 到 10（預設 1）", false)),
			sub("remove", "移除", "Remove a feed (its items stay)", "移除訂閱源（項目會保留）", feedName(true)),
			sub("enable", "啟用", "Re-enable a disabled feed", "重新啟用已停用的訂閱源", feedName(true)),
			sub("list", "列表", "List the feeds: URL, health, last success", "列出訂閱源：網址、狀態、上次成功"),
			sub("import", "匯入", "Import feeds from an OPML file", "從 OPML 檔案匯入訂閱源",
				opt(discordgo.ApplicationCommandOptionAttachment, "file", "檔案", "the OPML file a feed reader exported", "閱讀器匯出的 OPML 檔案", true), importKind),
		)), slow: true, run: (*Bot).cmdFeeds},
		{def: cmd("status", "狀態", "Feed health, last poll, next digest, paused channels", "訂閱源狀態、上次抓取、下次週報、暫停的頻道"),
			run: (*Bot).cmdStatus},
	}
}

// checkCommands enforces Discord's rules on names, descriptions and their
// localizations before anything is sent, and rejects duplicate names.
func checkCommands(cmds []command) error {
	seen := map[string]bool{}
	checkName := func(name string) error {
		if !nameRE.MatchString(name) || strings.ToLower(name) != name {
			return fmt.Errorf("bot: command or option name %q breaks ^[-_\\p{L}\\p{N}]{1,32}$ lowercase", name)
		}
		return nil
	}
	checkDesc := func(name, desc string) error {
		if n := utf8.RuneCountInString(desc); n < 1 || n > 100 {
			return fmt.Errorf("bot: description of %q has %d characters; 1-100 allowed", name, n)
		}
		return nil
	}
	var check func(name, desc string, names, descs map[discordgo.Locale]string, opts []*discordgo.ApplicationCommandOption) error
	check = func(name, desc string, names, descs map[discordgo.Locale]string, opts []*discordgo.ApplicationCommandOption) error {
		if err := checkName(name); err != nil {
			return err
		}
		if err := checkDesc(name, desc); err != nil {
			return err
		}
		if names[discordgo.ChineseTW] == "" || descs[discordgo.ChineseTW] == "" {
			return fmt.Errorf("bot: %q has no zh-TW name or description", name)
		}
		for _, n := range names {
			if err := checkName(n); err != nil {
				return err
			}
		}
		for _, d := range descs {
			if err := checkDesc(name, d); err != nil {
				return err
			}
		}
		if len(opts) > 25 {
			return fmt.Errorf("bot: %q has more than 25 options", name)
		}
		for _, o := range opts {
			if len(o.Choices) > 25 {
				return fmt.Errorf("bot: option %q has more than 25 choices", o.Name)
			}
			if err := check(o.Name, o.Description, o.NameLocalizations, o.DescriptionLocalizations, o.Options); err != nil {
				return err
			}
		}
		return nil
	}
	deref := func(m *map[discordgo.Locale]string) map[discordgo.Locale]string {
		if m == nil {
			return nil
		}
		return *m
	}
	for _, c := range cmds {
		if seen[c.def.Name] {
			return fmt.Errorf("bot: command %q defined twice", c.def.Name)
		}
		seen[c.def.Name] = true
		if err := check(c.def.Name, c.def.Description, deref(c.def.NameLocalizations), deref(c.def.DescriptionLocalizations), c.def.Options); err != nil {
			return err
		}
	}
	return nil
}

// refusal is an error whose text is the answer to the user, already in
// their language and escaped.
type refusal struct{ msg string }

func (r refusal) Error() string { return r.msg }

func refuse(l lang, id msgID, args ...any) error { return refusal{l.t(id, args...)} }

func (b *Bot) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	b.Metrics.Interactions.Add(1)
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		b.onCommand(ic)
	case discordgo.InteractionApplicationCommandAutocomplete:
		b.onAutocomplete(ic)
	case discordgo.InteractionMessageComponent:
		b.onButton(ic)
	}
}

func (b *Bot) onCommand(ic *discordgo.InteractionCreate) {
	l := b.localeLang(ic)
	name := ic.ApplicationCommandData().Name
	var cmd *command
	for i := range b.cmds {
		if b.cmds[i].def.Name == name {
			cmd = &b.cmds[i]
		}
	}
	if cmd == nil {
		b.answer(ic, false, &reply{content: l.t(mUnknownCommand)})
		return
	}
	if ic.GuildID == "" || ic.Member == nil {
		b.answer(ic, false, &reply{content: l.t(mGuildOnly)})
		return
	}
	if cmd.who == hostOnly && !b.isHost(ic) {
		b.answer(ic, false, &reply{content: l.t(mNotHost)})
		return
	}
	deferred := false
	if cmd.slow {
		// Discord wants an answer within 3 seconds; building a digest or
		// fetching a feed may take longer, so acknowledge (privately)
		// first and edit that answer.
		if err := b.callback(ic, discordgo.InteractionResponseDeferredChannelMessageWithSource, body{Flags: ephemeralFlag}, nil); err != nil {
			b.discordErr("defer", err)
			return
		}
		deferred = true
	}
	r, err := cmd.run(b, ic)
	if err != nil {
		var ref refusal
		msg := l.t(mWrong)
		if errors.As(err, &ref) {
			msg = ref.msg
		} else {
			b.log.Error("command failed", "command", name, "err", redact(err, b.o.Token))
		}
		b.answer(ic, deferred, &reply{content: msg})
		return
	}
	b.answer(ic, deferred, r)
	if r.after != nil {
		r.after()
	}
}

// isHost: the configured hosts and host roles. Nobody configured means
// the server's managers (Manage Server or Administrator): a button cannot
// carry Discord's command permissions, and "anyone may tag" is not a safe
// default. A server that wants everyone lists its @everyone role, whose
// id is the server's id, in host_roles.
func (b *Bot) isHost(ic *discordgo.InteractionCreate) bool {
	if len(b.o.Hosts) == 0 && len(b.o.HostRoles) == 0 {
		return ic.Member != nil && ic.Member.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0
	}
	if ic.GuildID != "" && slices.Contains(b.o.HostRoles, ic.GuildID) {
		return true
	}
	if u := user(ic); u != nil {
		for _, h := range b.o.Hosts {
			if u.ID == h {
				return true
			}
		}
	}
	if ic.Member != nil {
		for _, r := range ic.Member.Roles {
			for _, h := range b.o.HostRoles {
				if r == h {
					return true
				}
			}
		}
	}
	return false
}

func user(ic *discordgo.InteractionCreate) *discordgo.User {
	if ic.Member != nil && ic.Member.User != nil {
		return ic.Member.User
	}
	return ic.User
}

func userName(ic *discordgo.InteractionCreate) string {
	if ic.Member != nil && ic.Member.Nick != "" {
		return ic.Member.Nick
	}
	if u := user(ic); u != nil {
		if u.GlobalName != "" {
			return u.GlobalName
		}
		return u.Username
	}
	return "someone"
}

func option(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range opts {
		if o.Name == name {
			return o
		}
	}
	return nil
}

func optString(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	if o := option(opts, name); o != nil {
		if s, ok := o.Value.(string); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func optBool(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) bool {
	if o := option(opts, name); o != nil {
		v, _ := o.Value.(bool)
		return v
	}
	return false
}

func newsLabel(s string) news.Label {
	l, _ := news.ParseLabel(s)
	return l
}
