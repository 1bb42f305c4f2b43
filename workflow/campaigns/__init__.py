"""Campaigns: windows, due dates, participating units, admitted awards, targets and figures."""
