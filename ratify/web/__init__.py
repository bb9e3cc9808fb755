"""The read-only web view (`ratify serve`): pages, their JSON twins and an Atom feed of changes."""
