"""What every blueprint shares: templating, i18n, listing, parsing of input, and the English
translations builder."""
