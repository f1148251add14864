// Package ingest is the one place that joins the parts: it polls due feeds
// through feeds.Fetcher, normalizes entries, classifies them and stores
// them, and keeps each feed's schedule and health in the store.
//
// Imports: feeds, store and news; the classifier arrives through the
// Classifier interface.
package ingest
