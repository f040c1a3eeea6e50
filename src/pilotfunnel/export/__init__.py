"""Export briefs through nbconvert: execute the brief notebook, then HTML and PDF exporters."""

from pilotfunnel.core.compat import one_line_errors_on_nbconvert_command_line

# nbconvert imports the exporters (through their entry points) from inside its command line:
# from here on a refusal of the kit's is one line there, not a traceback (see compat).
one_line_errors_on_nbconvert_command_line()
