"""The REST API: campaigns, requests and events, over the selectors and services the pages use."""
