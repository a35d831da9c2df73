"""The claims lint's rules, as data: one row per code.

Each rule names the phrases it flags (``pattern``), optionally what else the sentence
must be about (``about``: every pattern must match) for the phrase to be a claim, and
what clears it: a negation before the phrase in the same clause (``negation="clause"``:
"is not FDA-approved") or anywhere in the sentence (``"sentence"``), a citation in the
sentence or the next (``cleared_by_citation``), both a hedge and a citation (``hedge``),
or words that make it no claim at all (``unless``). ``triggers`` are plain text that
every match contains one of, so that text without any is skipped cheaply; ``starts``,
plain text that every match starts with one of, so that the pattern is tried only there
(re tries a pattern that starts with ``\b`` and ignores case at every offset). The message
says why the phrase is a problem; the fix, what to write instead. Severities are
defaults; CLAIMS_SEVERITY in the settings overrides them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plugins.diagnostics import Severity


def words(*alternatives: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of the alternatives as whole words."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    code: str
    pattern: re.Pattern[str]
    message: str
    fix: str
    severity: Severity = Severity.ERROR
    about: tuple[re.Pattern[str], ...] = ()
    negation: str | None = "clause"  # "clause", "sentence" or None
    cleared_by_citation: bool = False
    hedge: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    # Lower-case text that every match of ``pattern`` contains one of: a paragraph
    # without any is not searched (most are not: the lint costs little on large sites).
    triggers: tuple[str, ...] = ()
    # Lower-case text that every match of ``pattern`` starts with one of: in an ASCII
    # text the pattern is tried only where one of them is (claims.match_starts).
    starts: tuple[str, ...] = ()


LDN = words(r"LDN", r"low[- ]dose naltrexone", r"naltrexone", r"compounded", r"compounding",
            r"we (?:make|prepare|compound|sell)", r"our (?:LDN|medicines?|products?)", r"it")
APPROVED_DRUG = words(r"Revia", r"Depade", r"Vivitrol", r"brand(?:ed)?", r"approved",
                      r"commercial(?:ly)?", r"manufactured", r"the 50 ?mg")
DISEASE = words(r"diseases?", r"disorders?", r"conditions?", r"syndromes?", r"illness(?:es)?",
                r"sclerosis", r"fibromyalgia", r"crohn'?s", r"colitis", r"arthritis",
                r"psoriasis", r"eczema", r"depression", r"pain", r"cancers?", r"tumou?rs?",
                r"autoimmun\w*", r"inflammation", r"CRPS", r"ME/CFS", r"IBS", r"lupus",
                r"symptoms?", r"infections?", r"covid(?:-19)?", r"long covid")
CANCER_CLAIM = words(r"treat\w*", r"cur(?:e|es|ed|ing)", r"shr[iau]nk\w*", r"fight\w*",
                     r"kill\w*", r"slow\w*", r"stops?", r"help\w*", r"benefit\w*",
                     r"improv\w*", r"effective", r"works?", r"surviv\w*", r"remission",
                     r"therapy", r"attack\w*", r"against", r"prevent\w*")
# A possibility or a prediction is not a reported result.
MODAL = words(r"may", r"might", r"could", r"can", r"will", r"would")
HEDGE = words(r"may", r"might", r"could", r"possible", r"possibly", r"early", r"preliminary",
              r"laboratory", r"theory", r"theoretical", r"unproven", r"interest(?:ed)?",
              r"suggest\w*", r"whether", r"ideas?", r"unclear", r"not known")

RULES: tuple[Rule, ...] = (
    Rule("claims.fda-approved",
         re.compile(r"\bFDA[- ](?:approved|cleared|registered)\b|\b(?:approved|cleared|"
                    r"registered)\s+(?:by|with)\s+the\s+(?:US\s+|U\.S\.\s+)?(?:FDA|Food and "
                    r"Drug Administration)\b", re.IGNORECASE),
         "LDN and compounded medicines are not FDA-approved; saying so is the claim FDA "
         "warning letters to compounders cite",
         "write that it is not FDA-approved for this use, or name the approved product "
         "(naltrexone 50 mg tablets) and its approved use",
         about=(LDN,), triggers=("fda", "food and drug"),
         starts=("fda", "approved", "cleared", "registered")),
    Rule("claims.same-as",
         words(r"(?:the )?same (?:drug|medicine|active ingredient|thing) as", r"same as",
               r"equivalent to", r"identical to", r"generic (?:version|form|copy) of"),
         "a compounded medicine is not the same as an approved drug; FDA warning letters "
         "cite 'same active ingredient as' claims",
         "say what is the same and what is not: 'made from naltrexone, the ingredient in "
         "the approved 50 mg tablets, but not an approved product'",
         about=(APPROVED_DRUG,), triggers=("same", "equivalent", "identical", "generic"),
         starts=("the same", "same", "equivalent", "identical", "generic")),
    Rule("claims.proven",
         words(r"(?:clinically |scientifically |medically )?prov(?:en|ed)",
               r"stud(?:y|ies) (?:prove|proves|show|shows|showed|confirm|confirms) that",
               r"research (?:proves|shows|confirms) that", r"proof that"),
         "'proven' says more than the evidence does; the FTC asks for randomized trials "
         "behind every health claim",
         "say what a named study found, with its size, and cite it: 'a trial of 31 women "
         "found … [@key]'", triggers=("prov", "show", "confirm", "proof"),
         starts=("clinically", "scientifically", "medically", "prov", "stud", "research",
                 "proof")),
    Rule("claims.cure",
         words(r"cur(?:e|es|ed|ing)", r"revers(?:e|es|ed|ing)", r"eliminat(?:e|es|ed|ing)",
               r"prevent(?:s|ed|ing)?", r"eradicat(?:e|es|ed|ing)", r"heal(?:s|ed)?"),
         "saying a medicine cures, reverses, eliminates or prevents a disease is a drug "
         "claim no LDN trial supports",
         "describe the measured result and its size ('pain scores fell by …'), or leave "
         "the claim out",
         about=(DISEASE,),
         triggers=("cur", "revers", "eliminat", "prevent", "eradicat", "heal"),
         starts=("cur", "revers", "eliminat", "prevent", "eradicat", "heal")),
    Rule("claims.guarantee",
         words(r"guarantee(?:s|d)?", r"works for everyone", r"works for all",
               r"risk[- ]free", r"100 ?% (?:safe|effective)", r"always works", r"miracle"),
         "no medicine works for everyone or is free of risk; a guarantee is a claim no "
         "evidence can back",
         "say how many people in a study improved, and that others did not",
         triggers=("guarantee", "works for", "risk", "100", "always works", "miracle"),
         starts=("guarantee", "works for", "risk", "100", "always works", "miracle")),
    Rule("claims.safety",
         words(r"safe and effective", r"no side[- ]effects?", r"side[- ]effect[- ]free",
               r"non-?toxic", r"completely safe", r"perfectly safe", r"totally safe",
               r"harmless", r"without (?:any )?side[- ]effects?"),
         "every medicine has side effects; 'safe and effective' is the FDA's finding for "
         "approved drugs, which LDN is not",
         "name the side effects reported in studies and how common they were, and cite "
         "the label for who must not take it",
         triggers=("safe", "side", "toxic", "harmless"),
         starts=("safe", "no side", "side", "non", "completely", "perfectly", "totally",
                 "harmless", "without")),
    Rule("claims.contraindication-exception",
         words(r"unless (?:your|the|a|their) (?:prescriber|doctor|clinician|physician|"
               r"pharmacist|care team)", r"unless (?:you have|there is) a plan",
               r"except (?:when|if) (?:your|the|a) (?:prescriber|doctor|clinician)"),
         "the naltrexone label makes taking opioids a contraindication, with no exception; "
         "'unless your prescriber …' tells a reader there is a way round it",
         "say it plainly ('Do not take LDN if you take an opioid medicine') and that the "
         "prescriber plans any opioid taper first; or place the opioid block: !safety opioids",
         about=(words(r"opioids?", r"tramadol", r"methadone", r"buprenorphine", r"morphine",
                      r"oxycodone", r"hydrocodone", r"codeine"),),
         negation=None, triggers=("unless", "except"), starts=("unless", "except")),
    Rule("claims.uncited-result",
         re.compile(r"\b\d+(?:\.\d+)?\s?%|\bper ?cent\b|" + words(
             r"reduced", r"improved", r"decreased", r"increased", r"lowered", r"fell",
             r"rose", r"dropped", r"halved", r"doubled", r"significant(?:ly)?",
             r"(?:better|worse) than (?:the )?placebo", r"response rate",
             r"remission").pattern, re.IGNORECASE),
         "this sentence reports a result, but neither it nor the next sentence cites "
         "a source",
         "add the study's citation, [@key], to this sentence",
         severity=Severity.WARNING, negation=None, cleared_by_citation=True,
         unless=MODAL, triggers=("%", "per cent", "percent", "reduced", "improved",
                                 "decreased", "increased", "lowered", "fell", "rose",
                                 "dropped", "halved", "doubled", "significant", " than ",
                                 "response rate", "remission"),
         starts=(*"0123456789", "per", "reduced", "improved", "decreased", "increased",
                 "lowered", "fell", "rose", "dropped", "halved", "doubled", "significant",
                 "better", "worse", "response", "remission")),
    Rule("claims.disease-list",
         words(r"cancers?", r"tumou?rs?", r"malignan\w+", r"carcinoma\w*", r"leuka?emia\w*",
               r"lymphoma\w*", r"melanoma\w*", r"oncolog\w*", r"metasta\w+"),
         "a claim that LDN acts on cancer or tumours needs a hedge and a citation; several "
         "states treat cancer claims in drug advertising as false",
         "say what kind of research it is (laboratory, review, case report), that it is "
         "not evidence of benefit in people, and cite it",
         about=(LDN, CANCER_CLAIM), negation="sentence", hedge=HEDGE,
         triggers=("cancer", "tumo", "malignan", "carcinom", "leuk", "lymphom", "melanom",
                   "oncolog", "metasta"),
         starts=("cancer", "tumo", "malignan", "carcinoma", "leuk", "lymphoma", "melanoma",
                 "oncolog", "metasta")),
)

CODES: dict[str, Rule] = {rule.code: rule for rule in RULES}
