"""The funds' public pages, one module a page, in Chinese for a resident to read (and print
for the notice board). Plain server-side HTML with every value escaped: no script, nothing
loaded from outside."""
