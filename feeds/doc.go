// Package feeds fetches and parses feeds: a safe HTTP fetcher, gofeed for
// the formats, normalization into news.Item, per-feed scheduling and a
// bounded worker pool. It never touches the store.
//
// Imports: news, gofeed and golang.org/x/net; never store, ingest, service,
// bot or digest.
package feeds
