package news

// Brief is a machine-written summary of one story by the optional model
// assist: a sentence or two saying what the story is and up to three
// talking points in the show's frame, grounded in the story's own items.
// Every rendering marks it as machine-written and names the model.
type Brief struct {
	Text   string   `json:"brief"`
	Points []string `json:"points,omitempty"`
	// Title is the story's headline in Traditional Chinese, written only
	// for a zh-TW digest.
	Title string `json:"title,omitempty"`
	Model string `json:"model"`
}
