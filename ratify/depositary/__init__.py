"""Depositaries' status tables read into the record: a page parsed exactly, then merged as recorded changes."""
