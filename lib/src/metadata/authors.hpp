// Author names: splitting bylines, removing honorifics and affiliations, rejecting non-names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dossier::detail {

/// Splits a byline into names: "A, B, and C", "A, B and C", "A and B", "A & B", "A; B",
/// one name per line; strips a leading "By"/"by"/"BY", and "Commentary from"/"Analysis by"-style
/// lead-ins are the caller's business (see byline_names). A comma followed by an affiliation
/// ("Wendy Cutler, Senior Fellow at ASPI") is not a split point: affiliation words (fellow,
/// director, president, professor, senior, chair, analyst, researcher, editor, contributor, at,
/// of the, ...) mark it; so do organisation words ("Brookings Institution", "Asia Times",
/// "Washington Post", "The Diplomat"), a lone acronym of 2-8 capitals ("Wendy Cutler, ASPI";
/// only when the byline is not all capitals), one word after a full name ("Jane Doe,
/// Brookings"), degrees and suffixes ("Jane Doe, Ph.D.", "King, Jr.") and any comma piece that
/// is not name-like (dates, places: "Nick Bailey, Senior Program Associate, Africa" is one
/// name). After an acronym, "and" starts a new name ("Jane Doe, CSIS and John Smith"); after a
/// longer affiliation it may be inside it ("Center for Strategic and International Studies").
///
/// "Last, First" names are turned round: "Smith, John" -> "John Smith", "Doe, Jane A." -> "Jane
/// A. Doe", "King, Martin Luther, Jr." -> "Martin Luther King, Jr.", BibTeX's "Smith, John and
/// Doe, Jane" and bibliography lists "Bellman, R., Kagiwada, H.". Without semicolons this needs
/// a one-word surname (particles and "Jr." aside) or given names that are only initials
/// ("Rodriguez Gil, F."), and at most two given names plus initials, so "Wendy Cutler, Rorry
/// Daniels" and "Cutler, Daniels and Thomas" stay lists (a lone "Cutler, Daniels" reads as
/// "Daniels Cutler"). A byline with semicolons whose pieces are plainly "Last, First" and never
/// "Name, Affiliation" ("Smith, John A.; Garcia Marquez, Gabriel") is split on semicolons only
/// and each piece is turned round when both sides are one to three name-like words.
///
/// Returns names in order, without empty pieces or exact repeats; does not clean them (see
/// clean_author), except that brackets and " | " affiliations of a turned-round name are dropped.
std::vector<std::string> split_authors(std::string_view byline);

/// Cleans one name: removes honorifics and titles ("Dr.", "Amb.", "Ambassador", "Prof.",
/// "Gen.", "Mr.", "Ms.", "Hon.", "Sen.", "Rep."), degrees ("Ph.D.", "PhD", "MD", "J.D."),
/// affiliations after a comma or " - " ("..., Senior Fellow at CSIS", "... | RAND"), a trailing
/// "(Ret.)", wrapping quotes and punctuation; collapses white space; turns an ALL-CAPS name into
/// title case ("WENDY CUTLER" -> "Wendy Cutler", "MCDONALD" -> "Mcdonald" is acceptable, but
/// "O'HANLON" -> "O'Hanlon" and "JAE-IN" -> "Jae-In"). Keeps initials ("Daniel R. DePetris")
/// and particles ("Ursula von der Leyen"). Also removes military ranks ("Lt. Gen.", "CDR"), any
/// "(...)" or "[...]" text, invisible characters (zero-width space, BOM) and a weekday glued to
/// the last word by a scraper ("ThorningFriday" -> "Thorning"); keeps "Jr."/"Sr."/"III". Turns
/// a "Last, First" name round by split_authors' rule without semicolons ("Smith, John" -> "John
/// Smith"). A lone acronym ("ASPI", "CSIS") keeps its capitals rather than becoming a person
/// ("Aspi"); plausible_author rejects it.
/// Returns "" when nothing name-like remains (no letter, or only a title).
std::string clean_author(std::string_view name);

/// False for strings that are not a person's or group's name and must never become an author:
/// empty, "Staff", "Follow", "Share", "Admin", "Editor(s)", "Guest", "Anonymous", "Contributor",
/// e-mail addresses, URLs, strings with digits that look like dates or times, strings of more
/// than 8 words or 100 bytes, invalid UTF-8, a bare weekday or month name, a single all-lower-
/// case word ("nesday"), a lone acronym of 2-5 capitals ("ASPI", "RAND"), placeholders ("no
/// author", "Unknown"), share-bar text ("Share on ...", "Follow ..."), and strings equal (by
/// fold_key) to `site_name` when given.
bool plausible_author(std::string_view name, std::string_view site_name = {});

/// Finds the names in a visible byline line of running text: "By A and B", "ASPI Expert
/// Commentary from A, B, and C.", "Written by A", "Authors: A; B", "- By Neil Thomas". Returns
/// cleaned, plausible names; empty when the line is not a byline. A line is a byline only if it
/// starts with (optionally after "- " or "— ") "By"/"Written by"/"Authors:"/"Author:", or
/// contains "Commentary from"/"Analysis from"/"Commentary by"/"Analysis by" followed by names,
/// and is at most 200 bytes. A trailing date ("By A on October 30, 2025", "By A | Oct. 30")
/// is dropped. Every name must be plausible, capitalised word by word (particles aside) and,
/// unless it is initials ("D.E."), at least two words; otherwise the line is prose ("By the end
/// of 2025, ...") and the result is empty. Names are de-duplicated by fold_key.
std::vector<std::string> byline_names(std::string_view line);

}  // namespace dossier::detail
