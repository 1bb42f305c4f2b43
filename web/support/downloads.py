"""What every download says about itself."""

# Given whole as ``content_type``: passed as a mimetype, Werkzeug would add a second charset.
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
