"""Every list fits an 80-column terminal: each heading whole, each row's RAG or status and its figures
readable, and no sideways scrolling; at 120 and 160 columns the lists show all they did."""
from __future__ import annotations

import pytest
from conftest import make_app, on_screen, press, running, screen_lines, settle, wait_until

NARROW = (80, 24)

# The keys to each list from home, the headings it shows at 80 columns (left to right), and what its
# rows show of their RAG, status and figures.
LISTS = {
    "home": ((), ["Code", "Programme", "SRO", "RAG", "Red", "Overdue", "Risks R", "Net saved FY"],
             ["R Red*", "A Amber (set; -)", "G Green*", "£325,000"]),
    "projects": (("enter",), ["Reference", "Project", "RAG", "Next milestone", "Due", "Risks",
                              "Net saved FY"], ["R Red*", "- Not rated", "£250,000"]),
    "milestones": (("enter", "enter", "1"), ["Milestone", "Baseline", "Forecast", "Actual", "Slippage",
                                             "Status", "Overdue"],
                   ["C Complete", "A Amber", "R Red", "G Green", "overdue"]),
    "risks": (("enter", "enter", "2"), ["Ref", "Risk", "Owner", "L x I = score", "Residual", "Status"],
              ["4x5=20", "R Red*", "A Amber*", "Closed"]),
    "savings": (("enter", "enter", "3"), ["Year", "Kind", "Band", "Amount", "As printed", "Notes"],
                ["G Green Delivered", "A Amber", "- Not rated", "£500,000"]),
    "history": (("enter", "enter", "4"), ["When (UTC)", "Who", "Item", "Field", "Old -> new", "Reason"],
                ["builder"]),
    "all milestones": (("m",), ["Milestone", "Project or programme", "Due (printed)", "Expected", "Status",
                                "Overdue"], ["C Complete", "A Amber", "R Red", "G Green", "- Not rated"]),
}


def heading_line(lines: list[str], first: str, last: str) -> str:
    """The list's heading: the line holding its first and last headings."""
    found = [line for line in lines if first in line and last in line]
    assert found, f"no line holds both {first!r} and {last!r}:\n" + "\n".join(lines)
    return found[0]


async def shown(path, size, keys, cells=()) -> list[str]:
    """The screen's lines after the keys, once every one of cells is on it (a list's rows are laid
    out again as the panels below it fill)."""
    app = make_app(path)
    async with running(app, size=size) as pilot:
        await settle(pilot)
        await press(pilot, *keys)
        await wait_until(pilot, lambda: all(on_screen(app, cell) for cell in cells), f"{cells} on screen")
        return screen_lines(app)


@pytest.mark.parametrize("name", LISTS)
async def test_each_list_fits_80_columns(fixture_db, name):
    keys, headings, cells = LISTS[name]
    lines = await shown(fixture_db[0], NARROW, keys, cells)
    heading = heading_line(lines, headings[0], headings[-1])
    at = 0
    for title in headings:  # each whole, in order, on screen
        found = heading.find(title, at)
        assert found >= 0, f"{title!r} is not whole in the heading {heading!r}"
        at = found + len(title)
    assert len(heading.rstrip()) <= NARROW[0]
    below = "\n".join(lines[lines.index(heading) + 1:])
    for cell in cells:
        assert cell in below, f"{cell!r} is not shown whole:\n{below}"


async def test_a_narrow_list_does_not_scroll_sideways(fixture_db):
    """Right arrow, or the end of a long row, never moves the heading: the first one stays in view."""
    app = make_app(fixture_db[0])
    async with running(app, size=NARROW) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        for _ in range(3):
            await pilot.press("right")
        await settle(pilot)
        heading = heading_line(screen_lines(app), "Reference", "Net saved FY")
        assert heading.lstrip().startswith("Reference")


async def test_home_at_80_columns_says_what_the_narrow_forms_mean(fixture_db):
    """The short RAG keeps the derived one beside the one set by hand, and the legend says the figure
    is the year its paper reports, else the status date's (the year itself no longer beside each figure)."""
    lines = await shown(fixture_db[0], NARROW, ())
    text = "\n".join(lines)
    assert "A Amber (set; -)" in text and "£325,000" in text
    assert "(set; derived" not in text and "2013/14" not in text
    assert "set = set by hand, the derived one beside it" in " ".join(" ".join(lines).split())
    assert "financial year its paper reports (else the status date's)" in " ".join(" ".join(lines).split())


@pytest.mark.parametrize("size", [(120, 36), (160, 45)])
async def test_wide_lists_show_everything(fixture_db, size):
    """With room, home keeps every column, the RAG note in full and each figure's year."""
    lines = await shown(fixture_db[0], size, ())
    heading = heading_line(lines, "Portfolio", "Net saved FY")
    for title in ("Code", "Programme", "SRO", "RAG", "Proj", "Red", "Overdue", "Risks R"):
        assert title in heading
    text = "\n".join(lines)
    assert "A Amber (set; derived -)" in text
    assert "£325,000 2013/14" in text
    lines = await shown(fixture_db[0], size, ("enter",))
    heading = heading_line(lines, "Reference", "Net saved FY")
    for title in ("Project", "Lead", "Stage", "RAG", "Next milestone", "Due", "Risks"):
        assert title in heading
    assert "£250,000 2013/14" in "\n".join(lines)


@pytest.mark.parametrize(("size", "note"), [(NARROW, "A Amber (set; R)"),
                                            ((160, 45), "A Amber (set; derived R)")])
@pytest.mark.parametrize("keys", [("enter",), ()], ids=["projects", "home"])
async def test_a_rag_set_by_hand_is_shown_whole_at_once(fixture_db, size, note, keys):
    """Setting a RAG by hand lengthens its cell: the list makes room for it at once, every heading
    still whole."""
    lines = await shown(fixture_db[0], size, (*keys, "a", "enter"))
    first = "Reference" if keys else "Code" if size == NARROW else "Portfolio"
    heading = heading_line(lines, first, "Net saved FY")
    assert len(heading.rstrip()) <= size[0]
    assert note in "\n".join(lines[lines.index(heading) + 1:])


async def test_home_at_80_columns_names_the_selected_programmes_portfolio(fixture_db):
    """The Portfolio column is the first a narrow home hides: the breadcrumb then names the selected
    programme's portfolio, and follows the cursor into the next one; at full width it need not."""
    app = make_app(fixture_db[0])
    async with running(app, size=NARROW) as pilot:
        await settle(pilot)
        assert "Portfolio" not in screen_lines(app)[2]  # the heading: the column is hidden
        assert screen_lines(app)[1].strip() == "Programmes · in Transformation Portfolio"
        await press(pilot, "down", "down")
        assert screen_lines(app)[1].strip() == "Programmes · in FutureFit"
        await pilot.resize_terminal(160, 24)
        await wait_until(pilot, lambda: screen_lines(app)[1].strip() == "Programmes", "the crumb alone")
        assert "Portfolio" in screen_lines(app)[2]
