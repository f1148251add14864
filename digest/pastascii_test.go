package digest

import (
	"testing"

	"github.com/triagebot/triagebot/news"
)

// TestGroupPastASCII: words with letters past ASCII group as ASCII words
// do. Before, a word ended inside its first letter past ASCII, so
// unrelated words that share one ("Müller", "München") were one term,
// and a word that starts past ASCII was a one-letter term and the rest.
func TestGroupPastASCII(t *testing.T) {
	N := news.KindNews
	checkGroupCases(t, []groupCase{
		// Unrelated headlines that share one word ("Sleep", "raises seed
		// round") and the letters before an accent or an umlaut in
		// others: "Pokémon" and "Pokédex" were one term, as were
		// "Brésil" and "Brünn", "Müller" and "München". Both pairs
		// joined before.
		{"words that share only a cut prefix", []news.Item{
			it("a", "Outlet A", N, "Pokémon Sleep tops charts in Brésil", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "Pokédex Sleep hack spreads in Brünn", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
		{"the same in ASCII", []news.Item{
			it("a", "Outlet A", N, "Pokemon Sleep tops charts in Brasil", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "Pokedex Sleep hack spreads in Brno", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
		{"words that share only cut prefixes", []news.Item{
			it("a", "Outlet A", N, "Müller Zürcher résumé scanner raises seed round", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "München Zündwerk réseau startup raises seed round", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
		{"the same in ASCII too", []news.Item{
			it("a", "Outlet A", N, "Mueller Zuercher resume scanner raises seed round", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "Munich Zundwerk reseau startup raises seed round", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
		// Two reports of one story join as their ASCII spellings do,
		// whatever the case of the letters past ASCII.
		{"one story past ASCII", []news.Item{
			it("a", "Outlet A", N, "Škoda recalls Elroq over Pokémon dashboard glitch", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "ŠKODA Elroq recall: the Pokémon dashboard glitch explained", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, nil, [][]string{{"a", "b"}}},
		{"the same story in ASCII", []news.Item{
			it("a", "Outlet A", N, "Skoda recalls Elroq over Pokemon dashboard glitch", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "SKODA Elroq recall: the Pokemon dashboard glitch explained", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, nil, [][]string{{"a", "b"}}},
		// The story's only distinctive words start past ASCII and are
		// cased differently: one term each only when lowercased by rune.
		{"one story, words that start past ASCII", []news.Item{
			it("a", "Outlet A", N, "Škoda Ørsted wind deal signed", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "ŠKODA and ØRSTED agree on wind power", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, nil, [][]string{{"a", "b"}}},
		{"the same story in ASCII, words that start so", []news.Item{
			it("a", "Outlet A", N, "Skoda Orsted wind deal signed", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "SKODA and ORSTED agree on wind power", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, nil, [][]string{{"a", "b"}}},
		// A rare word past ASCII lifts the no-name discount as its
		// ASCII spelling does (rareWord, isPlainWord): the headlines
		// share "brings" and "analytics" besides, and join in both
		// spellings (apart when only ASCII words could be plain).
		{"a rare word past ASCII", []news.Item{
			it("a", "Outlet A", N, "Quillby brings résumé analytics to recruiters", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "Larkspur brings résumé analytics to telecoms", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, nil, [][]string{{"a", "b"}}},
		{"the rare word in ASCII", []news.Item{
			it("a", "Outlet A", N, "Quillby brings resume analytics to recruiters", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "Larkspur brings resume analytics to telecoms", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, nil, [][]string{{"a", "b"}}},
	})
}
