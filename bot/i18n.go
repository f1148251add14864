package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
)

// msgID names one fixed string of the bot's replies.
type msgID int

const (
	mUnknownCommand msgID = iota
	mGuildOnly
	mNotHost
	mNoItem
	mTagged
	mRelabelled
	mRelabelHeld
	mUntagged
	mNotTagged
	mPicked
	mUnpicked
	mUnpickedAll
	mBadWeek
	mEmptyWeek
	mDigestPrivate
	mDigestPosted
	mDigestAlready
	mDigestPublicHosts
	mWeekRunning
	mSubscribed
	mSubscribedRole
	mMissingPerms
	mUnsubscribed
	mNotSubscribed
	mFeedAdded
	mFeedNotAFeed
	mFeedHTTP
	mFeedFollowed
	mFeedGuard
	mFeedBad
	mFeedFetch
	mFeedRemoved
	mFeedInConfig
	mNoFeed
	mFeedEnabled
	mFeedsNone
	mFeedsMore
	mFeedsImportNoFile
	mFeedsImported
	mFeedsImportRefused
	mEpisodeEmpty
	mEpisodeReady
	mWrong
	mChoose
	mDetails
	mFullWeek
	mGone
	mStatusFeeds
	mStatusNoPoll
	mStatusLastPoll
	mStatusNext
	mStatusLLM
	mStatusPaused
	mDisabledFeed
	mNever
	mBadLabel
	mFeedUnreadable
	mFeedNameTaken
	mNotOPML
	mAttachment
	mWhyTooLarge
	mWhyHops
	mWhyScheme
	mWhyTimeout
	mWhyUnreachable
)

// catalog holds every reply in English and Traditional Chinese.
var catalog = map[msgID][2]string{
	mUnknownCommand:     {"Unknown command. The bot's commands may be updating; try again in a minute.", "未知的指令。機器人的指令可能正在更新，請一分鐘後再試。"},
	mGuildOnly:          {"Use this command in a server channel, not in a direct message.", "請在伺服器頻道中使用這個指令，不要在私訊裡使用。"},
	mNotHost:            {"Only the show's hosts can do this here (discord.hosts and discord.host_roles in the config; when both are empty, members with Manage Server).", "只有節目主持人可以在這裡執行這個動作（設定檔中的 discord.hosts 與 discord.host_roles；兩者皆空時為具有「管理伺服器」權限的成員）。"},
	mNoItem:             {"No item matches that; pick one from the list as you type.", "找不到符合的項目；請在輸入時從清單中選擇。"},
	mTagged:             {"Tagged **%s** as **%s**.", "已將「%s」標記為「%s」。"},
	mRelabelled:         {"The classifier learned from it: %d similar recent items now have a different label.", "分類器已從中學習：近期有 %d 則相似項目的分類因此改變。"},
	mRelabelHeld:        {"The classifier did not learn from it: that would have re-labelled %d other items, more than the cap of %d. The tag stays on this item only.", "分類器沒有從這個標記學習：那會改變其他 %d 則項目的分類，超過上限 %d。標記只保留在這個項目上。"},
	mUntagged:           {"Took back the tag on **%s**; it shows the classifier's label, **%s**, again.", "已取消「%s」的標記；現在顯示分類器的判斷：「%s」。"},
	mNotTagged:          {"**%s** has no tag to take back.", "「%s」沒有可以取消的標記。"},
	mPicked:             {"Picked **%s** for the episode (picked by %s).", "已將「%s」選入本集（選題：%s）。"},
	mUnpicked:           {"Took back your pick of **%s**.", "已取消你對「%s」的選題。"},
	mUnpickedAll:        {"You had not picked **%s**; cleared every pick of it (%s).", "你沒有選過「%s」；已清除所有人的選題（%s）。"},
	mBadWeek:            {"I can't read “%s” as a week. Try 2026-W48, W48, this week, last week or a date like 2026-11-23.", "無法把「%s」當作週次。請試試 2026-W48、W48、本週、上週，或日期如 2026-11-23。"},
	mEmptyWeek:          {"Nothing new in %s: no stories were published that week.", "%s 沒有新報導。"},
	mDigestPrivate:      {"%s: %d stories from %d items. Only you see this; the whole week is attached.", "%s：共 %d 則報導，來自 %d 個項目。只有你看得到這則訊息；附件是完整週報。"},
	mDigestPosted:       {"Posted %s in this channel, one story per message in its thread.", "已在此頻道張貼 %s，討論串裡每則報導一則訊息。"},
	mDigestAlready:      {"%s is already posted in this channel; it is posted once.", "%s 已經張貼在此頻道；每週只張貼一次。"},
	mDigestPublicHosts:  {"Only the show's hosts can post the digest for everyone; without `public` it is shown to you alone.", "只有節目主持人可以公開張貼週報；不加 `public` 時只有你看得到。"},
	mWeekRunning:        {"%s is not over yet: it is posted for everyone once it is due, exactly once. Without public, /digest shows it to you now.", "%s 尚未結束：到期時會公開張貼一次。不加 public 時，/digest 現在就能只給你看。"},
	mSubscribed:         {"This channel will get the weekly digest every %s at %s (%s), in a thread per week.", "此頻道將在每%s %s（%s）收到每週摘要，每週一個討論串。"},
	mSubscribedRole:     {" It will mention %s when it is posted.", "張貼時會提及 %s。"},
	mMissingPerms:       {"I can't post the weekly digest here: I lack %s in this channel. Grant them in the channel's settings (Permissions), then run /subscribe again.", "我無法在這裡張貼每週摘要：我在此頻道缺少 %s 權限。請在頻道設定（權限）中授予後，再執行 /subscribe。"},
	mUnsubscribed:       {"This channel will no longer get the weekly digest.", "此頻道將不再收到每週摘要。"},
	mNotSubscribed:      {"This channel is not subscribed.", "此頻道沒有訂閱。"},
	mFeedAdded:          {"Added **%s** (%s): “%s”, %d items now. It is polled within the minute.", "已新增「%s」（%s）：「%s」，目前有 %d 個項目。一分鐘內會開始抓取。"},
	mFeedNotAFeed:       {"Not added: %s is not an RSS, Atom or JSON feed. Look for the site's feed link.", "未新增：%s 不是 RSS、Atom 或 JSON 訂閱源。請找網站的訂閱源連結。"},
	mFeedHTTP:           {"Not added: %s answered HTTP %d. Check the URL, or try again later.", "未新增：%s 回應 HTTP %d。請檢查網址，或稍後再試。"},
	mFeedFollowed:       {"Not added: this feed is already followed as **%s**.", "未新增：這個訂閱源已經以「%s」的名稱追蹤。"},
	mFeedGuard:          {"Not added: %s points to a private or local address, which the bot does not fetch (poll.allow_private_networks).", "未新增：%s 指向私人或本機位址，機器人不會抓取（poll.allow_private_networks）。"},
	mFeedBad:            {"Not added: %s.", "未新增：%s。"},
	mFeedFetch:          {"Not added: fetching %s failed (%s).", "未新增：抓取 %s 失敗（%s）。"},
	mFeedRemoved:        {"Removed **%s**; its items stay.", "已移除「%s」；它的項目會保留。"},
	mFeedInConfig:       {" It is also listed in the config file; remove it there too.", "它也列在設定檔中；請一併移除。"},
	mNoFeed:             {"No feed is named “%s”; see /feeds list.", "沒有名為「%s」的訂閱源；請見 /feeds list。"},
	mFeedEnabled:        {"Enabled **%s**; it is polled within the minute.", "已啟用「%s」；一分鐘內會開始抓取。"},
	mFeedsNone:          {"No feeds. Add one with /feeds add.", "沒有訂閱源。請用 /feeds add 新增。"},
	mFeedsMore:          {"… and %d more; `triagebot feeds list` shows all.", "……另有 %d 個；`triagebot feeds list` 會列出全部。"},
	mFeedsImportNoFile:  {"Attach an OPML file (exported from a feed reader).", "請附上 OPML 檔案（從閱讀器匯出）。"},
	mFeedsImported:      {"Imported %d feeds.", "已匯入 %d 個訂閱源。"},
	mFeedsImportRefused: {"Nothing was imported; fix these lines and try again:", "沒有匯入任何訂閱源；請修正以下各行後再試："},
	mEpisodeEmpty:       {"Nothing is picked for the episode yet. Use /pick or the Pick buttons on the digest.", "本集還沒有選題。請使用 /pick 或週報上的「選題」按鈕。"},
	mEpisodeReady:       {"Episode %s: %d picked stories. The show notes are attached, ready to publish.", "第 %s 集：%d 則選題。附件是可以直接發布的節目筆記。"},
	mWrong:              {"Something went wrong on our side; the hosts can find it in the bot's log. Try again in a minute.", "我們這邊出了問題；主持人可以在機器人的記錄中找到原因。請一分鐘後再試。"},
	mChoose:             {"Choose one of the subcommands.", "請選擇一個子指令。"},
	mDetails:            {"**%s**\nid `%s` · label %s (%s) · classifier: %s %.2f%s", "「%s」\n編號 `%s` · 分類 %s（%s） · 分類器：%s %.2f%s"},
	mFullWeek:           {"The whole of %s, every story.", "%s 的完整週報，包含所有報導。"},
	mGone:               {"That item is no longer in the store; nothing changed.", "這個項目已不在資料庫中；沒有任何變更。"},
	mStatusFeeds:        {"**Feeds**: %d, %d failing, %d disabled. **Items**: %d.", "**訂閱源**：%d 個，%d 個失敗，%d 個停用。**項目**：%d 個。"},
	mStatusNoPoll:       {"**Last poll**: not yet.", "**上次抓取**：尚未。"},
	mStatusLastPoll:     {"**Last poll**: <t:%d:R>.", "**上次抓取**：<t:%d:R>。"},
	mStatusLLM:          {"**Model assist** (%s): %d calls today of %d; since start %d calls, %d failed, %d skipped, %d cached answers, %d tokens in, %d out.", "**模型輔助**（%s）：今日 %d 次呼叫（上限 %d）；啟動以來 %d 次呼叫、%d 次失敗、%d 次略過、%d 次使用快取、輸入 %d 個詞元、輸出 %d 個。"},
	mStatusNext:         {"**Next digest**: <t:%d:F>. **Subscribed channels**: %d (%d paused). **Digests posted**: %d.", "**下次週報**：<t:%d:F>。**訂閱頻道**：%d 個（%d 個暫停）。**已張貼週報**：%d 份。"},
	mStatusPaused:       {"• paused <#%s>: %s", "• 已暫停 <#%s>：%s"},
	mDisabledFeed:       {"The feed **%s** was disabled: %s. A server manager can fix it and run /feeds enable.", "訂閱源「%s」已停用：%s。伺服器管理員修正後可以執行 /feeds enable。"},
	mNever:              {"never", "從未"},
	mBadLabel:           {"“%s” is not a label; choose research, product or other.", "「%s」不是分類；請選擇 research、product 或 other。"},
	mFeedUnreadable:     {"Not added: %s looks like a feed but could not be read (broken XML). Ask the site to fix it, or look for another feed link.", "未新增：%s 看起來是訂閱源，但無法讀取（XML 損壞）。請網站修正，或找其他訂閱源連結。"},
	mFeedNameTaken:      {"Not added: a feed named **%s** already exists; choose another name.", "未新增：已經有名為「%s」的訂閱源；請換一個名稱。"},
	mNotOPML:            {"Not imported: %s is not an OPML file. Export one from your feed reader and attach it.", "未匯入：%s 不是 OPML 檔案。請從閱讀器匯出後再附上。"},
	mAttachment:         {"Could not read the attachment %s; attach it again (at most %d MiB).", "無法讀取附件 %s；請重新附上（最多 %d MiB）。"},
	mWhyTooLarge:        {"the feed is larger than poll.max_body_bytes", "訂閱源超過 poll.max_body_bytes"},
	mWhyHops:            {"too many redirects", "重新導向次數過多"},
	mWhyScheme:          {"only http and https URLs are fetched", "只抓取 http 與 https 網址"},
	mWhyTimeout:         {"the site did not answer in time; try again later", "網站逾時未回應；請稍後再試"},
	mWhyUnreachable:     {"the site could not be reached; check the URL", "無法連線到網站；請檢查網址"},
}

// lang is "en" or "zh-TW".
type lang string

func (l lang) idx() int {
	if l == "zh-TW" {
		return 1
	}
	return 0
}

// t formats one reply string in l.
func (l lang) t(id msgID, args ...any) string {
	s := catalog[id][l.idx()]
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// localeLang is the language of a reply only the asker sees: the
// interaction's locale (any Chinese reads Traditional, any English reads
// English) whatever the config says; a client in another language gets
// digest.language.
func (b *Bot) localeLang(ic *discordgo.InteractionCreate) lang {
	loc := string(ic.Locale)
	switch {
	case strings.HasPrefix(loc, "zh"):
		return "zh-TW"
	case strings.HasPrefix(loc, "en"):
		return "en"
	}
	return lang(b.b.Language())
}

var weekdaysZH = [...]string{"週日", "週一", "週二", "週三", "週四", "週五", "週六"}

func (l lang) weekday(d time.Weekday) string {
	if l == "zh-TW" {
		return weekdaysZH[d]
	}
	return d.String() + "s"
}

// date is a short date: "Nov 26" or "11月26日".
func (l lang) date(t time.Time) string {
	if l == "zh-TW" {
		return fmt.Sprintf("%d月%d日", int(t.Month()), t.Day())
	}
	return t.Format("Jan 2")
}

// label is a label name in l.
func (l lang) label(s string) string {
	return digest.LabelName(string(l), newsLabel(s))
}

// permNames name the permissions the weekly post needs, as Discord's
// settings show them.
var permNames = []struct {
	bit    int64
	en, zh string
}{
	{discordgo.PermissionViewChannel, "View Channel", "檢視頻道"},
	{discordgo.PermissionSendMessages, "Send Messages", "傳送訊息"},
	{discordgo.PermissionEmbedLinks, "Embed Links", "嵌入連結"},
	{discordgo.PermissionCreatePublicThreads, "Create Public Threads", "建立公開討論串"},
	{discordgo.PermissionSendMessagesInThreads, "Send Messages in Threads", "在討論串中傳送訊息"},
}

// missingPerms names what the weekly post needs and the bot lacks.
func (l lang) missingPerms(have int64) []string {
	var out []string
	if have&discordgo.PermissionAdministrator != 0 {
		return nil
	}
	for _, p := range permNames {
		if have&p.bit == 0 {
			if l == "zh-TW" {
				out = append(out, p.zh)
			} else {
				out = append(out, p.en)
			}
		}
	}
	return out
}

func (l lang) list(s []string) string {
	if l == "zh-TW" {
		return strings.Join(s, "、")
	}
	return strings.Join(s, ", ")
}

// health is a feed's health in l (the reasons stay as the fetcher wrote
// them, less any credentials of the feed's URL that an error stored before
// redaction existed may quote).
func (l lang) health(r news.FeedRecord) string {
	return feeds.RedactText(l.rawHealth(r), r.URL)
}

func (l lang) rawHealth(r news.FeedRecord) string {
	if l != "zh-TW" {
		return r.Health()
	}
	switch {
	case r.State.Disabled:
		return "已停用：" + r.State.DisabledWhy
	case r.State.Failures > 0:
		return fmt.Sprintf("失敗（%d 次）：%s", r.State.Failures, r.State.LastError)
	case r.State.LastCheck.IsZero():
		return "尚未抓取"
	}
	return "正常"
}
