"""The organizer's web page (``scheduler serve``).

One page takes an organizer through the whole job: download the template,
upload the workbooks, read every problem found in them, start the
optimization with a time limit, watch its progress, and download the
schedule, the agendas, the calendars and the venue sheets.

Built on Flask, on purpose: it is small, synchronous and well kept, and this
app is only a handful of server-rendered pages and JSON endpoints that plain
JavaScript polls once a second. No build step, no CDN, no client framework:
the page works from a laptop with no internet, and without JavaScript the
forms still work (only the live progress needs it).

Served by waitress (``server.py``), which also locks the runs folder.
``guard.py`` keeps other web sites out (Host check, CSRF token and Origin,
security headers); ``app.py`` holds the routes; ``runs.py`` keeps the runs
on disk and solves them in background threads; ``work.py`` reads uploaded
workbooks in a child process, so no workbook can stall the page.
"""
