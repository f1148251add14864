package digest

import (
	"testing"

	"github.com/triagebot/triagebot/news"
)

// TestPlacesInTechNews: in AI and tech news "in", "at" and "from" are
// as often followed by a product, platform, event or investor as by a
// place ("now in Windsurf", "at WWDC", "from Iconiq"). Several outlets
// covering one launch or round name different ones of those, and they
// are still one story; reports of one kind of news from two real places
// stay two stories.
func TestPlacesInTechNews(t *testing.T) {
	N, B := news.KindNews, news.KindBlog
	P, M := news.Product, news.Other
	cases := []struct {
		name     string
		items    []news.Item
		apart    [][2]string
		together [][]string
	}{
		{"one model launch, a cloud platform and a search product", []news.Item{
			it("a", "The Verge", N, "Google launches Gemini 3 in Vertex AI and the Gemini app", "Gemini 3 Pro tops the LMArena leaderboard and reaches developers and consumers today.", "https://v.example.com/gemini-3", P, 0.9, 1),
			it("b", "TechCrunch", N, "Gemini 3 arrives in Search on day one, a first for a new Google model", "Google says Gemini 3 Pro is its most capable model yet and it is rolling out today.", "https://tc.example.com/gemini-3-search", P, 0.9, 1.1),
		}, nil, [][]string{{"a", "b"}}},
		{"one framework, a conference and an IDE version", []news.Item{
			it("a", "The Verge", N, "Apple opens its on-device foundation model to developers at WWDC", "The Foundation Models framework lets any app call Apple Intelligence offline, for free.", "https://v.example.com/wwdc-fm", P, 0.9, 1),
			it("b", "9to5Mac", N, "Apple's Foundation Models framework lands in Xcode 26 with three lines of Swift", "Developers can call the on-device model behind Apple Intelligence, offline and free.", "https://9to5.example.com/fm-xcode", P, 0.9, 1.2),
		}, nil, [][]string{{"a", "b"}}},
		{"one model release, two platforms carrying it", []news.Item{
			it("a", "Windsurf Blog", B, "Claude Sonnet 4.6 is now available in Windsurf", "Anthropic's new Sonnet 4.6 brings better coding and computer use; Windsurf users get it at a discount this week.", "https://windsurf.example.com/sonnet-4-6", P, 0.9, 1),
			it("b", "VentureBeat", N, "Anthropic ships Claude Sonnet 4.6 with sharper coding, available from today in Bedrock", "Sonnet 4.6 improves coding and computer use at the same price as Sonnet 4.5.", "https://vb.example.com/sonnet-4-6", P, 0.9, 1.1),
		}, nil, [][]string{{"a", "b"}}},
		{"one funding round, an investor and a series", []news.Item{
			it("a", "TechCrunch", N, "Anthropic raises $13 billion from Iconiq at a $183 billion valuation", "The round, co-led by Fidelity and Lightspeed, nearly triples the Claude maker's valuation since March.", "https://tc.example.com/anthropic-13b", M, 0.9, 1),
			it("b", "CNBC", N, "Anthropic's valuation nearly triples to $183 billion in Series F", "Claude maker Anthropic raised $13 billion in a round led by Fidelity and Lightspeed.", "https://cnbc.example.com/anthropic-183b", M, 0.9, 1.1),
		}, nil, [][]string{{"a", "b"}}},
		{"one competition result, its acronym and its full name", []news.Item{
			it("a", "The Decoder", N, "Gemini Deep Think wins gold at IMO, solving five of six problems", "Google DeepMind's model wrote its proofs in natural language within the time limit.", "https://dec.example.com/deep-think-gold", news.Research, 0.9, 1),
			it("b", "Ars", N, "DeepMind's Gemini Deep Think earns gold medal score in International Mathematical Olympiad", "The model solved five of the six problems, graded by the coordinators.", "https://ars.example.com/deep-think-gold", news.Research, 0.9, 1.1),
		}, nil, [][]string{{"a", "b"}}},
		{"one launch, its event and its city", []news.Item{
			it("a", "The Verge", N, "Microsoft launches NLWeb at Build to turn any website into an AI app", "NLWeb is an open project that lets a site answer questions in natural language.", "https://v.example.com/nlweb", P, 0.9, 1),
			it("b", "GeekWire", N, "NLWeb, unveiled by Microsoft in Seattle, lets any website answer questions in natural language", "The open project turns a site into an AI app, its creator said.", "https://gw.example.com/nlweb", P, 0.9, 1.1),
		}, nil, [][]string{{"a", "b"}}},
		{"one robotaxi company, two cities", []news.Item{
			it("a", "TechCrunch", N, "Waymo launches its robotaxi service in Atlanta with Uber", "Riders can hail a driverless Jaguar through the Uber app from today.", "https://tc.example.com/waymo-atl", P, 0.8, 1),
			it("b", "The Verge", N, "Waymo launches its robotaxi service in Miami with Moove", "Riders can hail a driverless Jaguar through the Waymo app from today.", "https://v.example.com/waymo-mia", P, 0.8, 1.5),
		}, [][2]string{{"a", "b"}}, nil},
		{"one company, offices in two cities", []news.Item{
			it("a", "Reuters", N, "OpenAI opens its first office in Seoul as Korean demand for ChatGPT grows", "The company will hire staff to work with Korean businesses and government.", "https://r.example.com/openai-seoul", M, 0.8, 1),
			it("b", "Handelsblatt", N, "OpenAI opens its first office in Munich as German demand for ChatGPT grows", "The company will hire staff to work with German businesses and government.", "https://hb.example.com/openai-munich", M, 0.8, 2),
		}, [][2]string{{"a", "b"}}, nil},
		{"one company, data centers in two states", []news.Item{
			it("a", "DCD", N, "Meta plans a 2GW AI data center in Louisiana", "The campus will run on new gas plants built by the local utility.", "https://dcd.example.com/meta-la", M, 0.8, 1),
			it("b", "DCD", N, "Meta plans a 1GW AI data center in Ohio", "The campus will run on new gas plants built by the local utility.", "https://dcd.example.com/meta-oh", M, 0.8, 1.5),
		}, [][2]string{{"a", "b"}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items := append(background(), tc.items...)
			story := map[string]int{}
			for k, g := range Group(ptrs(items), GroupOptions{}) {
				for _, x := range g {
					story[x.ID] = k
				}
			}
			for _, p := range tc.apart {
				if story[p[0]] == story[p[1]] {
					t.Errorf("%s and %s joined", p[0], p[1])
				}
			}
			for _, ids := range tc.together {
				for _, id := range ids[1:] {
					if story[id] != story[ids[0]] {
						t.Errorf("%s and %s apart", ids[0], id)
					}
				}
			}
		})
	}
}

// TestPlacesAreNoProducts pins each guard of places and placesConflict
// on one pair; every case fails without its guard.
func TestPlacesAreNoProducts(t *testing.T) {
	cases := []struct {
		name     string
		a, b     string
		conflict bool
	}{
		{"a version after the words: an IDE", "Apple's Foundation Models framework lands in Xcode 26", "Apple shows its foundation model to developers in Cupertino", false},
		{"a year after the words: an event", "Microsoft shows its agent tools at Build 2025", "Microsoft shows its agent tools to developers in Seattle", false},
		{"a single letter after the words: a round", "Anthropic's valuation nearly triples in Series F", "Anthropic raises $13 billion from Iconiq", false},
		{"an initial after the words is no round", "One dead in Flathead County E. coli outbreak", "One dead in Gallatin County E. coli outbreak", true},
		{"a company after the words: a product", "Google brings its image model to developers in Vertex AI", "Google's image model lands in Search for everyone", false},
		{"mixed case: a platform", "Insights Agent is now available in LangSmith", "Insights Agent is now available in Harbor", false},
		{"capitalized words joined by a hyphen are a place", "Storms knock out power in Winston-Salem", "Storms knock out power in Greensboro", true},
		{"an acronym is a place", "Record heat closes schools in NYC", "Record heat closes schools in Phoenix", true},
		{"one versioned product, two platforms", "Claude Sonnet 4.6 is now available in Windsurf", "Anthropic ships Claude Sonnet 4.6, available from today in Bedrock", false},
		{"one mixed-case product, its event and its city", "Microsoft launches NLWeb at Build to turn websites into apps", "NLWeb, unveiled by Microsoft in Seattle, answers questions", false},
		{"a shared agency is no product", "CDC confirms measles cases in Lubbock County", "CDC confirms measles cases in Wake County", true},
		{"an acronym spelled out: one event", "Gemini Deep Think wins gold at IMO", "Deep Think earns a gold medal in International Mathematical Olympiad", false},
		{"an acronym spelled out: one city", "Heat wave breaks records in NYC", "Heat wave breaks records in New York City", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := newGrouper([]*news.Item{{Title: tc.a}, {Title: tc.b}}, GroupOptions{}, nil)
			a, b := &g.docs[0], &g.docs[1]
			if a.nplace == 0 && b.nplace == 0 {
				t.Fatalf("neither headline has a place: the case tests nothing")
			}
			if got := placesConflict(a, b, g.m.db.placeIDs); got != tc.conflict {
				t.Errorf("placesConflict = %v, want %v (places %d, %d)", got, tc.conflict, a.nplace, b.nplace)
			}
		})
	}
}
