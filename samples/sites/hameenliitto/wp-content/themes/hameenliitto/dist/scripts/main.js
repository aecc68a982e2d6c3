/* hameenliitto: stub of the site script, not needed offline */
