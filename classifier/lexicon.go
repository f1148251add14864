package classifier

// cueGroups are curated phrases grouped by what they signal. A group is one
// feature ("cue:launch"), so a phrase the training data never showed still
// counts through its group: this is what lets the model generalize to
// outlets it has not seen. Phrases are matched after the same lowercasing
// and light stemming as the text, up to three words; Chinese phrases (both
// Simplified and Traditional) are matched as 2-4 character windows.
//
// The label each group leans to is learned, not declared; the comments say
// what we expect.
func cueGroups() map[string][]string {
	return map[string][]string{
		// research: someone found a new method or result
		"method": {
			"we propose", "we present", "we introduce", "we develop", "we show", "we find", "we study",
			"we demonstrate", "we investigate", "we evaluate", "we analyze", "we train", "we build",
			"this paper", "in this paper", "this work", "our method", "our approach", "our model",
			"novel", "approach", "framework", "method", "methodology", "technique", "algorithm",
			"architecture", "formulation", "theoretical", "theorem", "proof", "empirical", "ablation",
			"objective function", "loss function", "fine-tuning", "finetuning", "pretraining", "pre-training",
			"reinforcement learning", "training recipe", "distillation", "sparse autoencoder", "interpretability",
			"mechanistic", "scaling law", "inference-time", "test-time", "chain-of-thought", "reasoning model",
			"attention mechanism", "transformer", "diffusion model", "latent", "embedding", "representation",
			"提出", "方法", "框架", "算法", "架构", "架構", "训练方法", "訓練方法", "新方法",
		},
		"result": {
			"outperform", "outperforms", "state of the art", "state-of-the-art", "sota", "benchmark", "benchmarks",
			"dataset", "datasets", "accuracy", "experiment", "experiments", "results show", "we find that",
			"found that", "finds that", "show that", "shows that", "suggests that", "evidence", "measure",
			"measured", "evaluation", "evaluations", "baseline", "baselines", "surpass", "improves", "improvement",
			"achieves", "gain", "error rate", "zero-shot", "few-shot", "generalization", "robustness",
			"基准", "基準", "数据集", "資料集", "实验", "實驗", "准确率", "準確率", "超越", "性能提升",
		},
		"study": {
			"paper", "papers", "study", "studies", "research", "researcher", "researchers", "scientist", "scientists",
			"preprint", "arxiv", "peer-reviewed", "journal", "published in", "nature", "science", "proceedings",
			"technical report", "tech report", "survey", "position paper", "findings", "university", "lab",
			"laboratory", "institute", "professor", "phd", "discovery", "breakthrough", "simulation",
			"astronomers", "mathematicians", "mathematician", "physicists", "biologists", "uncovers", "uncovered",
			"new way to", "a new way", "数学家", "數學家", "新作", "成果", "猜想", "定理",
			"论文", "論文", "研究", "研究人员", "研究人員", "研究团队", "研究團隊", "科学家", "科學家", "科研",
			"学者", "學者", "期刊", "发现", "發現", "突破", "大学", "大學", "实验室", "實驗室", "首次",
		},
		// product: something people can use shipped or changed
		"launch": {
			"launch", "launches", "launched", "launching", "rolls out", "rolling out", "rollout", "roll out",
			"now available", "available now", "is available", "generally available", "general availability",
			"now live", "goes live", "ships", "shipping", "debuts", "debut", "unveils", "unveiled", "release",
			"releases", "released", "introducing", "new feature", "new features", "feature", "features",
			"update", "updates", "upgrade", "upgrades", "public beta", "beta", "preview", "early access",
			"waitlist", "is getting", "gets", "adds", "added", "can now", "now lets", "lets you", "now supports",
			"support for", "now in", "coming to", "arrives", "expands to", "available in", "version",
			"changelog", "release notes",
			// Announcements and live coverage of launch events ("all the
			// news from WWDC"): a product story, unlike an event's program.
			"announces", "announced", "introduces", "now has", "the ability to",
			"all the news", "everything announced",
			"推出", "发布", "發布", "上线", "上線", "正式", "开放", "開放", "登场", "登場", "亮相", "新功能",
			"功能", "更新", "版本", "升级", "升級", "内测", "內測", "公测", "公測", "即日起", "接入", "上架",
			"落地", "商用", "问世", "問世", "量产", "量產",
		},
		// Strong availability cues: something ships or can be used now.
		// Split from the generic mentions below, which opinion, analysis
		// and how-to pieces use as often as launches do.
		"available": {
			"api", "apis", "sdk", "plugin", "extension", "integration", "integrates", "agent mode", "voice mode",
			"download", "downloads", "open weights", "open-weight", "app store", "google play", "sign up",
			"try it", "available to", "available for", "available on", "in beta", "now open", "for all users",
			"to all users", "starting today", "starts today", "from today", "this week", "pre-order", "preorder",
			"ships", "on sale now", "in stock",
			"插件", "下载", "下載", "接入", "可用", "开放下载", "開放下載", "预约", "預約", "预售", "預售", "开售", "開賣",
			"首发", "首發",
		},
		// Generic mentions of things people use: weak on their own.
		"usable": {
			"app", "apps", "browser", "assistant", "chatbot", "tool", "tools", "mode", "dashboard",
			"workspace", "enterprise", "developers", "developer", "users", "user", "customers", "subscribers",
			"ios", "android", "iphone", "ipad", "mac", "macos", "windows", "chrome", "web", "mobile", "desktop",
			"device", "devices", "laptop", "phone", "smartphone", "headphones", "earbuds", "watch", "glasses",
			"headset", "tablet", "speaker", "camera", "console", "open source", "open-source",
			"用户", "用戶", "应用", "應用", "产品", "產品", "手机", "手機", "平台", "平臺", "助手", "智能体",
			"智慧體", "开源", "開源", "车机", "車機", "耳机", "耳機", "眼镜", "眼鏡",
		},
		"price": {
			"pricing", "price", "prices", "priced", "per month", "a month", "subscription", "subscribe",
			"plan", "plans", "tier", "free", "for free", "free tier", "paid", "premium", "pro plan", "cheaper",
			"discount", "deal", "deals", "on sale", "lowest price", "all-time low", "prime day",
			"black friday", "cyber monday", "coupon", "costs", "cost", "$",
			"价格", "價格", "售价", "售價", "订阅", "訂閱", "免费", "免費", "优惠", "優惠", "降价", "降價",
			"半价", "半價", "元起",
		},
		"review": {
			"review", "reviewed", "hands-on", "hands on", "first look", "tested", "we tried", "i tried",
			"impressions", "comparison", "vs", "versus", "best", "buying guide", "how it works",
			"outage", "is down", "went down", "down for", "having issues", "service disruption", "bug", "bugs",
			"实测", "實測", "评测", "評測", "体验", "體驗", "上手", "开箱", "開箱", "宕机", "宕機", "故障",
			// A reviewer's verdict and first-person testing.
			"you can buy", "worth it", "impressive", "disappointing", "mediocre", "i used", "i spent",
			"i asked", "i tested", "we tested", "glitch", "glitches", "not working", "stopped working",
		},
		// Who speaks: a company announcing or reporting its own work
		// says "we"; a columnist, a newsletter or a how-to author "I".
		"we": {"we", "our", "we're", "we've", "ours"},
		"i":  {"i", "my", "i'm", "i've", "me"},
		// other: money, power, law, opinion, events
		"money": {
			"raises", "raised", "raising", "funding", "funding round", "round", "series a", "series b", "series c",
			"series d", "series e", "series f", "seed round", "pre-seed", "valuation", "valued at", "investors",
			"investor", "investment", "invests", "invest", "venture", "vc", "backed by", "vc-backed", "ipo", "goes public",
			"acquire", "acquires", "acquired", "acquisition", "merger", "buys", "bought", "takeover", "stake in",
			"earnings", "revenue", "revenues", "profit", "quarter", "quarterly", "share price", "stock",
			"stocks", "market cap", "billion", "million", "layoffs", "lays off", "laid off", "job cuts",
			"hires", "hired", "hiring", "poach", "ceo", "cto", "executive", "executives", "steps down",
			"resigns", "appointed", "chief", "founder", "co-founder", "startup", "startups", "market",
			"is leaving", "departs", "departing", "departure", "exits", "names", "appoints", "joins",
			"research grants", "grant program", "grants program", "fellowship", "fellowships", "scholarship",
			"donating", "donates", "donation", "nonprofit", "non-profit",
			"融资", "融資", "亿元", "億元", "亿美元", "億美元", "估值", "投资", "投資", "收购", "收購", "并购",
			"併購", "股价", "股價", "营收", "營收", "财报", "財報", "净利", "淨利", "裁员", "裁員", "执行长",
			"執行長", "董事长", "董事長", "创始人", "創始人", "注册资本", "註冊資本", "成立", "月活", "市值",
			"股票", "存托", "存託", "筹资", "籌資", "募资", "募資",
		},
		// Courts, rules and regulators. Government as a customer or a
		// player and security incidents have groups of their own: a
		// government offering can be a product, a security study research.
		"law": {
			"law", "laws", "bill", "legislation", "regulation", "regulations", "regulator", "regulators",
			"regulatory", "ban", "bans", "banned", "lawsuit", "lawsuits", "sues", "sued", "suing", "court",
			"judge", "ruling", "rules", "verdict", "settlement", "copyright", "antitrust", "ftc", "doj", "sec",
			"european commission", "export control", "export controls", "tariff", "tariffs", "sanctions",
			"compliance", "investigation", "probe", "fine", "fined", "privacy", "code of practice", "signs",
			"监管", "監管", "法规", "法規", "诉讼", "訴訟", "起诉", "起訴", "法院", "判决", "判決",
			"强制", "強制",
			"罚款", "罰款", "立法", "法案", "禁令", "制裁", "关税", "關稅", "出口管制", "合规", "合規",
		},
		"government": {
			"government", "governments", "governor", "president", "white house", "congress", "senate",
			"parliament", "eu", "ministry", "minister", "federal", "agency", "public sector", "military",
			"pentagon", "defense", "election", "elections", "policy", "policies", "state", "national",
			"教育部",
			"政府", "国务院", "國務院", "发改委", "發改委", "政策", "部长", "部長", "国防", "國防", "指引", "国家", "國家",
		},
		"security": {
			"hackers", "hacker", "hack", "hacked", "breach", "ransomware", "cyberattack", "stole", "leak",
			"leaked", "vulnerability", "vulnerabilities", "exploit", "malware", "phishing", "jailbreak",
			"prompt injection", "attack", "attacks", "attacker", "attackers", "zero-day", "security flaw",
			"cybersecurity", "security",
			"漏洞", "黑客", "駭客", "攻击", "攻擊", "资安", "資安", "网络安全", "網路安全", "勒索",
		},
		"incident": {
			"incident", "accident", "crash", "crashed", "recall", "recalls", "fire", "explosion", "killed",
			"death", "dies", "died", "injured", "arrested", "scam", "fraud", "shutdown", "shuts down",
			"事故", "召回", "诈骗", "詐騙", "去世", "逮捕",
		},
		"howto": {
			"how to", "how to use", "guide", "tutorial", "tips", "step by step", "step-by-step", "walkthrough",
			"getting started", "best practices", "ways to", "here's how", "cookbook", "recipe", "recipes",
			"教程", "指南", "攻略", "技巧", "如何", "手把手",
		},
		"watch": {
			"how to watch", "livestream", "live stream", "watch live", "tickets", "ticket", "register",
			"registration", "early bird", "agenda", "speakers", "tune in", "save up to", "last chance",
			"直播", "门票", "門票", "报名", "報名",
		},
		"newsletter": {
			"newsletter", "roundup", "round-up", "this week in", "week in review", "weekly", "daily",
			"morning", "the download", "briefing", "digest", "links", "what we're reading", "issue",
			"早报", "早報", "晚报", "晚報", "周报", "週報", "日报", "日報", "速览", "速覽", "汇总", "彙整",
		},
		"sponsored": {
			"sponsored", "partner content", "presented by", "in partnership with", "brought to you by",
			"advertisement", "paid post", "whitepaper", "white paper", "webinar", "ebook", "e-book",
			"sponsored content", "广告", "廣告", "白皮书", "白皮書",
		},
		"opinion": {
			"opinion", "op-ed", "column", "essay", "newsletter", "podcast", "interview", "conversation",
			"q&a", "debate", "hype", "bubble", "why", "should", "we need", "the case for", "what's next",
			"what to expect", "the future of", "is dead", "is a trap", "hate", "trend", "trends", "analysis",
			"explainer", "commentary", "lessons", "the limits of", "might not", "could be", "report says",
			"i think", "my take", "we believe", "in defense of", "it's time", "the problem with", "here's why",
			"what it means", "takeaways", "outlook", "predictions", "forecast", "statement", "manifesto",
			"according to", "rumor", "rumors", "reportedly", "leak suggests",
			"quoting", "the era of", "the age of", "blueprint", "business leaders", "leaders", "weigh",
			"trade-offs", "tradeoffs", "must",
			"观点", "觀點", "评论", "評論", "专访", "專訪", "对话", "對話", "访谈", "訪談", "泡沫", "趋势", "趨勢",
		},
		"event": {
			"conference", "summit", "keynote", "event", "events", "highlights", "day 1", "day one", "expo",
			"award", "awards", "prize", "winners", "hackathon", "meetup", "festival", "live blog", "recap",
			"大会", "大會", "峰会", "峰會", "论坛", "論壇", "颁奖", "頒獎", "奖项", "獎項", "展会", "展會",
		},
		"customer": {
			"how", "helps", "uses", "using", "customer story", "case study", "powered by", "built with",
			"customer", "case studies", "success story", "transforms", "scales with", "certified", "certification",
			"iso", "soc 2", "milestone",
			"partnership", "partners with", "teams up", "joins forces", "collaboration", "program",
			"合作", "携手", "攜手", "伙伴", "夥伴",
		},
	}
}

// stopwords carry no label on their own; they still take part in bigrams
// and cue phrases ("rolls out", "series b", "we propose").
func stopwords() []string {
	return []string{
		"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "for", "with", "at", "by", "from",
		"as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "it's", "this", "that", "these",
		"those", "he", "she", "they", "them", "his", "her", "their", "our", "we", "you", "your", "i", "me",
		"my", "not", "no", "so", "than", "then", "there", "here", "what", "which", "who", "whom", "will",
		"would", "can", "could", "has", "have", "had", "do", "does", "did", "about", "into", "over", "after",
		"before", "more", "most", "some", "such", "also", "just", "all", "any", "each", "other", "new", "s",
		"up", "out", "if", "one", "two", "via", "per", "now", "still", "even", "get", "very",
	}
}
