/* Liferay barebone: stub of the site script, not needed offline */
