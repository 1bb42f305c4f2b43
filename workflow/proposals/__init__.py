"""List proposals (tờ trình đề nghị khen thưởng): one letter and one set of minutes for many
rows, each row a nomination of a person or collective of the register with its own result."""
