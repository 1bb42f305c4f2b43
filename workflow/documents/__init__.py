"""Administrative documents (DOCX, and PDF through LibreOffice) in the Nghị định 30/2020 layout."""
