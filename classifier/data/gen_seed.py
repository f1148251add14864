# Writes seed.jsonl: labelled examples written for triagebot (not taken from
# any feed). Kept as Python tuples only for brevity; seed.jsonl is the file
# the trainer reads. Regenerate with: python3 gen_seed.py > seed.jsonl
import json
R, P, O = "research", "product", "other"
rows = [
# ---- arXiv-style papers (research) ----
("paper","en",R,"https://arxiv.org/abs/2611.00101","Sparse Routing Improves Sample Efficiency in Mixture-of-Experts Pretraining","We propose a routing objective that balances expert load without auxiliary losses. Across four model scales our method reduces the tokens needed to reach a target perplexity by 18% and outperforms strong baselines on downstream benchmarks."),
("paper","en",R,"https://arxiv.org/abs/2611.00102","A Benchmark for Multilingual Retrieval in Low-Resource Languages","We introduce a dataset of 40,000 queries in 12 low-resource languages and evaluate 15 retrieval systems. Results show that multilingual dense retrievers fail on morphologically rich languages."),
("paper","en",R,"https://arxiv.org/abs/2611.00103","On the Convergence of Adaptive Optimizers under Heavy-Tailed Noise","We prove convergence rates for adaptive gradient methods when gradient noise has infinite variance and give matching lower bounds. Experiments on language model training confirm the theory."),
("paper","en",R,"https://arxiv.org/abs/2611.00104","Vision Tokens from Frozen Encoders Let Text-Only LLMs See","This paper presents a lightweight projector that maps frozen image encoder features into a language model's embedding space, giving a text-only model visual question answering ability with 2% additional parameters."),
("paper","en",R,"https://arxiv.org/abs/2611.00105","Detecting Reward Hacking with Probes on Internal Activations","We study whether linear probes on hidden states can flag reward hacking during reinforcement learning from human feedback. Probes trained on synthetic episodes generalize to natural ones with 0.91 AUROC."),
("paper","en",R,"https://arxiv.org/abs/2611.00106","A Survey of Evaluation Practices for Agentic Systems","We review 212 papers that evaluate LLM agents, categorize their metrics, and identify gaps in reproducibility and contamination control."),
("paper","en",R,"https://arxiv.org/abs/2611.00107","Position: Compute Thresholds Are a Poor Proxy for Model Risk","We argue that training compute is an unreliable indicator of dangerous capabilities and propose capability-based evaluations instead."),
("paper","en",R,"https://arxiv.org/abs/2611.00108","Diffusion Policies for Dexterous Manipulation from Few Demonstrations","We present a diffusion-based policy that learns in-hand manipulation from ten demonstrations and achieves an 84% success rate on a real robot hand."),
# ---- news: research coverage ----
("news","en",R,"https://news.example.com/science/ai-model-predicts-protein","Researchers train an AI model that predicts how proteins change shape","A team at a university lab found that a new model can predict protein motion from sequence alone, a result published in a peer-reviewed journal. The method beats previous approaches on standard benchmarks, though it struggles with large complexes."),
("news","en",R,"https://news.example.com/2026/11/study-chatbots-persuasion","Study finds chatbots can change voters' minds more than ads","In experiments with 6,000 participants, researchers measured how conversations with language models shifted political opinions. The effect was larger than for video ads but faded after a month."),
("news","en",R,"https://news.example.com/ai/new-technique-cuts-hallucinations","A new technique makes language models admit when they don't know","Scientists describe a training method that rewards models for abstaining, reducing confident wrong answers by half on a question-answering benchmark, according to the paper."),
("news","en",R,"https://news.example.com/ai/lab-model-beats-math-olympiad","Lab's new model solves olympiad geometry problems at gold-medal level","The lab's technical report details a search method combined with a language model that proves geometry theorems, outperforming prior systems. Researchers caution the approach does not yet transfer to other areas of math."),
("news","en",R,"https://news.example.com/science/robots-learn-from-video","Robots learn household chores by watching videos, new research shows","A research group trained a robot policy on thousands of hours of online video and found it could generalize to unseen kitchens."),
# ---- news: product ----
("news","en",P,"https://news.example.com/2026/11/chatbot-voice-mode","Chatbot app gets a voice mode that can search your email","The company is rolling out voice conversations to all paid users on iOS and Android starting today, with free users getting access next month."),
("news","en",P,"https://news.example.com/2026/11/photo-app-ai-editing","Photo app now lets you erase objects with one tap","The update adds an AI eraser and a sky replacement tool. It is available now for subscribers on the $9.99-per-month plan."),
("news","en",P,"https://news.example.com/reviews/smart-glasses-review","Smart glasses review: the AI assistant is the best part","After two weeks with the glasses, the camera and the voice assistant impressed us, but battery life still falls short."),
("news","en",P,"https://news.example.com/2026/11/phone-ai-features","The new phone's AI features, tested","We tried the on-device summaries, call transcription and photo editing on the new flagship. Here is what works and what does not."),
("news","en",P,"https://news.example.com/2026/11/coding-agent-preview","Coding assistant adds an agent that opens pull requests for you","The agent is available in research preview for enterprise customers and runs tasks in a cloud sandbox."),
("news","en",P,"https://news.example.com/2026/11/open-model-download","Startup releases open-weight model you can download and run locally","The 12B model is available under a permissive license on major model hubs and through the company's API at $0.20 per million tokens."),
("news","en",P,"https://news.example.com/2026/11/smart-speaker-new-assistant","Smart speakers are getting the new assistant this week","Owners of older speakers will get the upgrade automatically in the US, with other countries following later this year."),
# ---- news: other ----
("news","en",O,"https://news.example.com/2026/11/ai-startup-raises-series-c","AI startup raises $400M Series C at a $6B valuation","The round was led by two venture firms, and the company says it will use the money to hire engineers and buy compute."),
("news","en",O,"https://news.example.com/2026/11/chipmaker-acquires-ai-company","Chipmaker agrees to acquire AI software company for $2.1 billion","The acquisition, expected to close next year, is subject to regulatory approval."),
("news","en",O,"https://news.example.com/policy/eu-ai-rules","EU regulators delay parts of the AI Act","The European Commission said companies will have another year to comply with rules for high-risk systems, after lobbying from industry and member states."),
("news","en",O,"https://news.example.com/policy/export-controls-chips","US tightens export controls on AI chips","The new rules restrict sales of advanced accelerators to more countries and add licensing requirements for cloud providers."),
("news","en",O,"https://news.example.com/2026/11/ceo-steps-down","AI company's CEO steps down after board dispute","The co-founder will remain on the board, and the company named its chief operating officer as interim chief executive."),
("news","en",O,"https://news.example.com/2026/11/layoffs-tech","Tech company lays off 1,200 employees to focus on AI","The job cuts affect sales and support teams, according to an internal memo."),
("news","en",O,"https://news.example.com/events/conference-highlights","Day one highlights from the developer conference","Keynotes covered the company's plans for the coming year, and attendees packed sessions on agents and robotics."),
("news","en",O,"https://news.example.com/2026/11/hackers-breach","Hackers stole customer data from a software vendor","The breach exposed names and addresses of millions of people, and the company has notified regulators."),
("news","en",O,"https://news.example.com/2026/11/ai-lab-revenue","AI lab's revenue run rate doubles to $8 billion","The company told investors that enterprise sales drove the growth, though it still loses money."),
("news","en",O,"https://news.example.com/2026/11/podcast-interview","Interview: a robotics founder on what's next for humanoids","In this week's podcast we talk about hype, manufacturing and why the first customers are warehouses."),
# ---- blogs: research ----
("blog","en",R,"https://lab.example.com/research/agent-benchmark","Introducing a benchmark for long-running software agents","We release a benchmark of 300 tasks that take humans hours, and measure how frontier agents perform. Current models solve 23% of tasks."),
("blog","en",R,"https://lab.example.com/blog/reasoning-training","How we trained a model to reason longer","Our technical report describes the reinforcement learning recipe, the ablations that mattered, and where the approach fails."),
("blog","en",R,"https://lab.example.com/research/scaling-evaluations","What we learned measuring AI's effect on worker productivity","In a study of 5,000 support agents, we found that access to an assistant raised resolution rates by 14%, mostly for less experienced workers."),
("blog","en",R,"https://lab.example.com/research/red-teaming-results","Red-teaming results for multimodal jailbreaks","We evaluated image-based attacks against several models and found that simple typographic prompts bypass safety training in most cases."),
("blog","en",R,"https://lab.example.com/blog/new-model-technical","Our new model: a mixture-of-experts architecture that beats larger dense models","The model uses grouped attention and a new routing scheme, and outperforms models twice its size on reasoning benchmarks."),
# ---- blogs: product ----
("blog","en",P,"https://company.example.com/blog/api-ga","Batch API is now generally available","Developers can now submit large jobs at half the price of real-time requests. Available in all regions starting today."),
("blog","en",P,"https://company.example.com/blog/new-integrations","New integrations: connect your assistant to your calendar and drive","Workspace admins can enable the connectors from the admin console; they are rolling out to Team and Enterprise plans."),
("blog","en",P,"https://company.example.com/changelog/v2-3","Release notes: version 2.3","This release adds multi-file editing, faster autocomplete and support for custom models. Update from the extension marketplace."),
("blog","en",P,"https://company.example.com/blog/customer-story","How a logistics company uses our agents to answer 1 million support tickets","The team built on our platform to route and resolve tickets, cutting response times from hours to minutes."),
("blog","en",P,"https://company.example.com/pricing-update","Simpler pricing for teams","Starting next month, the Team plan costs $25 per user per month and includes higher usage limits."),
("blog","en",P,"https://company.example.com/blog/sdk-release","Our Python SDK 1.0 is here","The SDK adds streaming, retries and typed responses. Install it with pip today."),
("blog","en",P,"https://company.example.com/blog/app-launch","Meet the desktop app","Our assistant is now available as a desktop app for Mac and Windows, with a keyboard shortcut to ask from anywhere."),
# ---- blogs: other ----
("blog","en",O,"https://company.example.com/blog/policy-commitments","Our commitments ahead of the AI safety summit","We outline the policies we support and the voluntary commitments we are making to governments."),
("blog","en",O,"https://company.example.com/blog/hiring","We're hiring in Europe","We are opening an office and hiring across engineering and sales."),
# ---- Chinese news (Simplified) ----
("news","zh",P,"https://news.example.cn/a/1","某大模型公司推出新版智能助手，支持语音对话","该公司今日正式上线新版App，用户可通过语音与助手对话，免费用户每天可使用20次。"),
("news","zh",P,"https://news.example.cn/a/2","某公司发布新款AI眼镜，售价1999元","新品支持实时翻译和拍照识物，即日起在官方商城开售。"),
("news","zh",P,"https://news.example.cn/a/3","某模型API即日起正式开放，价格下调50%","开发者可在平台申请接入，新版本在编码和长文本任务上表现更好。"),
("news","zh",P,"https://news.example.cn/a/4","实测新版手机AI功能：通话摘要和修图都能用","我们上手体验了新机的端侧AI功能，整体体验流畅，但部分功能仅支持中文。"),
("news","zh",O,"https://news.example.cn/a/5","某AI初创公司完成10亿元B轮融资","本轮融资由多家投资机构领投，资金将用于研发和市场扩张，公司估值超过100亿元。"),
("news","zh",O,"https://news.example.cn/a/6","某科技巨头收购AI芯片公司","交易金额约为30亿美元，尚需监管部门批准。"),
("news","zh",O,"https://news.example.cn/a/7","监管部门发布生成式人工智能内容标识办法","办法要求服务提供者对AI生成内容进行显著标识，将于明年起施行。"),
("news","zh",R,"https://news.example.cn/a/10","研究团队提出新方法，让大模型推理速度提升3倍","该论文提出一种新的解码算法，在多个基准测试上保持准确率的同时显著降低延迟。"),
("news","zh",R,"https://news.example.cn/a/11","科学家利用AI发现新型抗生素","研究人员训练模型筛选了数百万种化合物，实验验证了其中一种对耐药菌有效，成果发表在期刊上。"),
# ---- Chinese news (Traditional) ----
("news","zh",P,"https://news.example.tw/a/1","某公司推出AI翻譯耳機，即日起開賣","新產品支援40種語言即時翻譯，售價新台幣5990元。"),
("news","zh",P,"https://news.example.tw/a/2","聊天機器人新增語音模式，所有用戶皆可使用","更新版本已上線，用戶在手機應用程式中即可開啟語音對話功能。"),
("news","zh",O,"https://news.example.tw/a/4","AI新創完成新一輪融資，估值達20億美元","本輪由創投基金領投，公司計畫擴大研發團隊。"),
("news","zh",O,"https://news.example.tw/a/5","立法院通過人工智慧基本法","法案規範政府使用AI的原則，並要求主管機關訂定相關指引。"),
("news","zh",R,"https://news.example.tw/a/6","台大研究團隊提出新演算法，大幅降低模型訓練成本","研究人員在論文中指出，新方法在多個資料集上的準確率與原方法相當，但訓練時間減少一半。"),
("news","zh",R,"https://news.example.tw/a/7","研究發現：AI模型在醫學影像判讀上超越專科醫師","實驗結果顯示，模型在三個基準上的準確率均高於醫師平均。"),
# ---- added for the confusions cross-validation showed ----
("blog","en",P,"https://company.example.com/blog/retailer-story","How a retailer uses our assistant to answer product questions","The retailer connected its catalog to our API and now resolves 60% of shopper questions without an agent."),
("blog","en",P,"https://company.example.com/blog/bank-agents","How a bank cut onboarding time with agents built on our platform","Using our agent builder and connectors, the bank automated document checks for new customers."),
("blog","en",P,"https://company.example.com/blog/introducing-api","Introducing the Realtime API","Build low-latency voice apps with our new API, available today in public beta for all developers."),
("news","en",O,"https://news.example.com/2026/11/chatbot-hits-users","Chatbot hits 500 million weekly users, company says","The company shared the figure at an investor event, up from 300 million at the start of the year."),
("news","zh",O,"https://news.example.tw/a/9","晶片大廠財報優於預期，股價大漲","公司公布第三季營收與淨利均創新高，執行長表示AI需求持續強勁。"),
# ---- same categories, topics of their own ----
("news","en",P,"https://news.example.com/2026/11/maps-ai-routes","Maps app adds AI trip planning that books restaurants for you","The feature is rolling out in the US on Android and iOS and works with partner reservation services."),
("news","en",P,"https://news.example.com/2026/11/translation-service-down","Translation service suffers hours-long outage","Users could not load the site or the app for most of Tuesday; the company blamed a configuration change."),
("news","en",P,"https://news.example.com/deals/robot-vacuum","This robot vacuum with AI obstacle detection is $200 off","The discount brings it to its lowest price this year at several retailers."),
("news","en",P,"https://news.example.com/2026/11/music-app-ai-dj","Music streaming app's AI DJ now takes requests by voice","Premium subscribers can ask for a mood or genre; the update reaches 50 markets this week."),
("news","en",P,"https://news.example.com/2026/11/car-assistant","Automaker puts a chatbot in its dashboard with a free software update","Owners of recent models get the assistant over the air and can ask it about the manual or the route."),
("news","en",O,"https://news.example.com/2026/11/robotics-startup-funding","Warehouse robotics startup lands $75M to expand in Europe","The Series B was led by a growth fund; the startup plans to triple headcount."),
("news","en",O,"https://news.example.com/2026/11/antitrust-probe","Regulators open antitrust probe into cloud AI partnerships","The investigation will examine whether investments in AI startups gave cloud giants unfair control."),
("news","en",O,"https://news.example.com/2026/11/authors-lawsuit-settlement","AI company settles with authors for $1.5 billion","The settlement, which a judge must still approve, resolves claims that pirated books were used for training."),
("news","en",O,"https://news.example.com/2026/11/data-center-power","Data center boom strains the power grid, utilities warn","Utilities in three states say demand from AI data centers is rising faster than new generation can be built."),
("news","en",O,"https://news.example.com/2026/11/chatbot-growth-claim","Assistant app says it now has 200 million monthly users","The company announced the milestone in a post, without saying how many pay."),
("news","en",O,"https://news.example.com/2026/11/space-launch-delay","Rocket launch slips again after engine test","The company said the new date depends on a review of the test data. Not AI, but big news for space fans."),
("news","en",O,"https://news.example.com/opinion/schools-ai","Schools are not ready for AI, and that's fine","A teacher argues that the rush to put chatbots in classrooms skips the hard questions."),
("news","en",R,"https://news.example.com/science/weather-model","AI weather model beats traditional forecasts ten days out, paper shows","The model, trained on decades of reanalysis data, was more accurate on most variables, though it struggles with rare extremes."),
("news","en",R,"https://news.example.com/science/llm-memorization","Language models memorize more of their training data than thought, researchers find","The study extracted thousands of verbatim passages from open models using a new attack."),
("blog","en",R,"https://lab.example.com/research/speech-model","A speech model that learns new languages from an hour of audio","We describe a self-supervised pretraining method and show strong results on 30 low-resource languages."),
("blog","en",R,"https://lab.example.com/research/circuit-analysis","Tracing how a model adds numbers","Using attribution graphs, we found the circuits a model uses for arithmetic and where they break down."),
("blog","en",O,"https://company.example.com/blog/office-tokyo","Opening our office in Tokyo","We are expanding to Japan and will work with local companies and the government."),
("blog","en",O,"https://company.example.com/blog/board-update","An update on our board of directors","Two new members join the board, bringing experience in security and policy."),
("news","zh",P,"https://news.example.cn/a/20","某地图应用上线AI行程规划功能","用户输入目的地和偏好即可生成行程，该功能今日起向全部用户开放。"),
("news","zh",O,"https://news.example.cn/a/21","某机器人公司完成5亿元融资","本轮由产业资本领投，资金将用于量产和海外市场。"),
("news","zh",O,"https://news.example.cn/a/22","多地出台数据中心能耗新规","新规要求新建数据中心的能效指标达到国家标准，监管部门将开展检查。"),
("news","zh",R,"https://news.example.cn/a/23","研究人员提出新型语音识别方法，方言识别准确率大幅提升","论文显示，该方法在多个方言数据集上的错误率降低三成。"),
("news","zh",P,"https://news.example.tw/a/20","地圖App新增AI行程規劃，即日起全面開放","使用者輸入想去的地方，就能自動排出行程，並可一鍵訂位。"),
("news","zh",O,"https://news.example.tw/a/21","機器人新創獲投資，擴大海外布局","公司宣布完成新一輪募資，將在日本設立據點。"),
]
import seed_more
rows += seed_more.rows
for i, (kind, lang, label, url, title, summary) in enumerate(rows, 1):
    print(json.dumps({"id": f"seed{i:03d}", "title": title, "summary": summary, "url": url,
                      "source": "seed", "source_kind": kind, "lang": lang, "label": label}, ensure_ascii=False))
