"""Word lists and sentence templates for ordinary office mail (data only).

None of the terms the manifest counts (``generator.SEARCH_TERMS``) may appear here, except the
planted word in ``PLANT``.
"""

from __future__ import annotations


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


PLACES = _w(
    "Monterrey|Ciudad Juarez|Nuevo Laredo|El Paso|Houston|Panama City|Caracas|Bogota|Guangzhou"
    "|Shenzhen|Istanbul|Rotterdam|Hamburg|Stavanger|Novorossiysk|Yokohama|London|Austin"
    "|Washington|Tijuana|Veracruz|Lagos|Mumbai|Dubai|Reynosa|Matamoros|Laredo|Chihuahua"
)
CLIENTS = _w(
    "Castellan Shipping|Oriel Capital|Kaiserberg Logistik|Nordvik Energi|Tokai Trading"
    "|Volga Freight|the Brightwater Institute|a Houston refinery|a Dallas law firm"
    "|a Swiss reinsurer|a Canadian miner"
)
MONTHS = _w("January|February|March|April|May|June|July|August|September|October|November|December")
DAYS = _w("Monday|Tuesday|Wednesday|Thursday|Friday")
DOCS = _w(
    "the draft|the spreadsheet|the proposal|the contract|the itinerary|the slide deck"
    "|the invoice|the agenda|the outline|the estimate|the map pack|the style sheet"
)
NOUNS = _w(
    "port traffic|fuel prices|the election|kidnapping risk|customs delays|the new tariff"
    "|protest activity|road closures|currency controls|the strike|shipping insurance"
    "|border wait times|the court ruling|extortion reports|cargo theft|power cuts"
    "|the budget vote|piracy off the coast|visa rules|the cabinet reshuffle"
)

TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "finance": (
        _w("Budget review|Expense reports|Invoice|Vendor payment|Forecast|Reimbursement|Audit"),
        _w("Q1|Q2|Q3|Q4|travel|consultants|software|translation|data feeds"),
    ),
    "travel": (
        _w("Travel approval|Trip report|Hotel booking|Visa paperwork|Security briefing for trip"),
        PLACES,
    ),
    "it": (
        _w("VPN outage|Laptop replacement|Mail server migration|Password policy|Backup schedule"),
        _w("Austin office|remote staff|analysts|weekend|phase 2|new hires"),
    ),
    "hiring": (
        _w("Candidate interview|Intern applications|Job posting|Reference check"),
        _w("Latin America desk|East Asia desk|writers|IT|watch officers|graphics"),
    ),
    "client": (_w("Client briefing|Proposal|Renewal|Custom report|Call notes"), CLIENTS),
    "analysis": (
        _w("Weekly outlook|Situation report|Forecast discussion|Annual review|Red team"),
        NOUNS,
    ),
    "office": (
        _w("Office move|Holiday schedule|Parking|Fire drill|Lunch order|Team offsite"),
        _w("Austin|5th floor|December|spring|Friday|new badges"),
    ),
    "media": (
        _w("Interview request|Podcast taping|Op-ed draft|Press mention|Video script"),
        _w("radio|cable news|a wire service|a trade magazine|the newsletter|a documentary"),
    ),
}

GENERAL = (
    "Can you take a look at {doc} before {day}?",
    "{doc} will follow once {first} signs off.",
    "{first} thinks we should wait until {month} before committing.",
    "The numbers for {place} came in about {num} percent higher than last time.",
    "Let me know if {day} afternoon works for a quick call.",
    "We discussed {noun} at length and agreed to revisit it in {month}.",
    "I spoke with {client} this morning; they want {doc} by the end of the week.",
    "Please keep this internal for now.",
    "From what I hear, {noun} will dominate the agenda in {place}.",
    "From the client's side, the main worry is {noun}.",
    "From {day} on, please copy {first} on anything touching {place}.",
    "Thanks for turning this around so quickly.",
    "The meeting with {client} moved to {day} at {hour}.",
    "I added a section on {noun}; it still needs a source note.",
    "Costs are running about ${amount} over the estimate.",
    "{first} is out until {day}, so expect a slower reply.",
    "Nothing urgent, but {noun} keeps coming up in calls from {place}.",
    "I would rather not put {place} in the headline until we confirm it.",
    "Our contact in {place} says {noun} is worse than reported.",
    "The print shop needs {doc} no later than {day}.",
    "Sorry for the delay; {month} has been a blur.",
    "Could you double-check the figures for {place} against last year?",
    "I am fine with either option, as long as {first} is in the loop.",
    "We should have a firmer view on {noun} by {day}.",
    "Two people asked me about {noun} at the conference in {place}.",
    "Let's not promise {client} anything on {noun} yet.",
    "I have pencilled in {day} at {hour}; shout if that clashes.",
    "The map of {place} in {doc} is out of date.",
)
CATEGORY = {
    "finance": (
        "The ${amount} line for {place} needs a receipt.",
        "Finance closes the books on {day}.",
        "Please code the {place} trip to the client, not overhead.",
        "The vendor in {place} wants half up front.",
        "We are ${amount} under budget for the quarter, which will not last.",
    ),
    "travel": (
        "Flights to {place} are booked; the hotel is near the airport.",
        "Security wants a check-in call every evening while in {place}.",
        "The driver will meet you at arrivals with a sign.",
        "Avoid the highway after dark; take the morning flight instead.",
        "The embassy registration for {place} is done.",
    ),
    "it": (
        "The VPN will be down from {hour} for about {num} minutes.",
        "Please restart after the update; it takes a while the first time.",
        "Do not forward the new passwords by mail.",
        "Old laptops go back to {first} by {day}.",
        "The new mail server has a {num} GB quota per person.",
    ),
    "hiring": (
        "The candidate from {place} did well on the writing test.",
        "We have {num} applications, most of them strong.",
        "Could you sit in on the second interview on {day}?",
        "Her Spanish is excellent and she has lived in {place}.",
        "References came back positive from both employers.",
    ),
    "client": (
        "{client} asked whether we can add weekly calls on {noun}.",
        "The renewal is worth about ${amount} a year.",
        "They liked the last piece on {place} and shared it with their board.",
        "Their security director wants a one-page summary, not a report.",
        "{client} may expand into {place} next year.",
    ),
    "analysis": (
        "I would frame {noun} as a trend rather than an event.",
        "Our forecast for {place} holds, with less confidence than in {month}.",
        "The data on {noun} are thin; we should say so plainly.",
        "The local press in {place} is ahead of us on this one.",
        "What would change our mind about {noun}?",
    ),
    "office": (
        "Boxes will be delivered on {day}; label everything with your desk number.",
        "The kitchen will be closed from {hour}.",
        "Please RSVP to {first} by {day}.",
        "The new badges work on the garage door as well.",
        "Lunch is on the firm, within reason.",
    ),
    "media": (
        "The producer wants five minutes on {noun}, live at {hour}.",
        "Keep it general; no client names and nothing about {place} sources.",
        "Their editor asked for a photo and a two-line bio.",
        "The piece runs {day} if nothing bigger breaks.",
        "We can offer {first} for a background briefing instead.",
    ),
}
GREETINGS = ("Hi {first},", "{first},", "Hello {first},", "Dear {first},", "All,", "Team,")
CLOSINGS = ("Thanks,", "Best,", "Regards,", "Cheers,", "Thanks again,", "Talk soon,")
PLANT = (
    "The quillwort samples from the lake survey are in the blue cabinet.",
    "Ask {first} about the quillwort photos from the field trip.",
)
