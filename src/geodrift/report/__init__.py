"""Reports: charts, briefings and analyses built from analytics results."""
