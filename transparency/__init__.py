"""Published statistics, ITA pages, open data and Open311. Not built yet."""
