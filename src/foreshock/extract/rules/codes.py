"""The CAMEO code groups the rules decide by: which roots take a target from where.

The stages (triggers, arguments, derived events, assembly) branch on a code's root: a
meeting gives both directions, force may take a city for its country, a protest with no one
named is domestic.  Kept in one place so that the stages agree on them.
"""

from __future__ import annotations

MEETING_ROOT = "04"
#: CAMEO's make a visit and host a visit: the two sides are a visitor and a host
VISIT_CODES = ("042", "043")
DEMAND_CODE = "100"  # CAMEO "make a demand, not specified below"
DENIAL_CODE = "016"  # CAMEO "deny responsibility": also a disavowed intention to attack
DISAVOWED_ROOT = 13  # only threats and force are disavowed this way
#: coercion that, with no one named, is done at home: confiscation, administrative
#: sanctions, arrests, repression ("police detained demonstrators"); destroying property
#: or expelling people names no victim of one's own ("they destroyed hospitals")
DOMESTIC_CODES = ("1711", "172", "173", "175")
#: roots that may stand without a target: statements, appeals, threats.  A verb of
#: cooperation (03: agree, pledge, promise, offer, invite) with no partner named is policy
#: talk ("pledged a full inquiry", "agreed on a deal", "I promise you"): on the training
#: annotations 2 of 23 such events were right
UNDIRECTED_ROOTS = frozenset({"01", "02", "13"})
INTENT_ROOT = "03"
#: yielding: releasing, returning, handing over (08)
YIELD_ROOT = "08"
#: the verbal roots (statements, appeals, intents, consultations, endorsements) whose parties
#: in the readout of one call or meeting are that call's pair (extract/readout.py)
READOUT_ROOTS = frozenset({"01", "02", "03", "04", "05"})
SENTENCE_TARGET_ROOTS = frozenset({"10", "11", "12", "17"})
#: roots (and codes) whose missing target may come from the paragraph before
CONTEXT_TARGET_ROOTS = frozenset({"10", "11", "12", "13"})
CONTEXT_TARGET_CODES = frozenset({"016"})
#: roots whose missing target may be the other parties of a named agreement they act on
#: (intent to implement, sign, reject, violate)
AGREEMENT_ROOTS = frozenset({"03", "05", "12", "16"})
#: roots for which a place (a city, a region) may stand for its country: attacks on Kharkiv,
#: aid to Gaza; a meeting *in* New York or a statement *about* Crimea is not with the US or UKR
PLACE_ROOTS = frozenset({"07", "08", "15", "16", "17", "18", "19", "20"})
#: a denial of responsibility is about an act done somewhere: "denied killing civilians in Bucha"
PLACE_CODES = frozenset({"016"})
NON_STATE = frozenset({"REB", "OPP", "CVL"})
STATE = frozenset({"GOV", "MIL", "COP"})
#: artillery and air strikes on one's own people stay attacks (civil war), not repression;
#: so does taking a town of one's own country ("government forces regain control of X")
HEAVY_FORCE = frozenset({"192", "194", "195", "196"})
REPRESSION_CODE = "175"
#: acts of force named by their weapon: artillery (194), air and missile strikes (195)
WEAPON_CODES = frozenset({"194", "195"})
DEPLOY_CODE = "154"  # CAMEO: mobilize or increase armed forces
EMERGENCY_CODE = "1724"  # CAMEO: impose state of emergency or martial law
THREAT_CODE = "130"  # CAMEO: threaten, not specified below
OPINION_CODE = "014"  # CAMEO: consider policy option
ACCORD_CODE = "019"  # CAMEO: express accord
RIOT_CODE = "145"  # CAMEO: protest violently, riot
#: CAMEO occupy territory: "the Russian invasion" names a lasting state more than an act
OCCUPATION_CODE = "192"
PROTEST_ROOT = "14"
FORCE_ROOT = "19"  # CAMEO: fight (conventional military force)
POSTURE_ROOT = "15"  # CAMEO: exhibit force posture
#: CAMEO suicide, car or other non-military bombing: with no one named, insurgents did it
BOMBING_CODE = "183"
ARREST_CODE = "173"  # CAMEO: arrest, detain, or charge with legal action
#: CAMEO find guilty or liable (legally): "X is convicted", "is found guilty" with no court
#: named is the verdict of the patient's own courts, like a passive arrest
VERDICT_CODE = "116"


#: acts of a state on people with no country named that are done at home when the sentence
#: names no other country: a verdict (116), freeing prisoners (0841), easing restrictions
#: (081): "Myanmar pardons 2,000 prisoners", "a court convicts a former minister", "Thailand
#: lifts its state of emergency" (annotation brief: domestic events have the same country
#: on both sides)
HOME_CODES = ("116", "0841", "081")


def home_act(code: str) -> bool:
    """Whether a state's act with no target named is one on its own people, when its
    sentence names no other country."""
    return code.startswith(HOME_CODES)


def domestic_act(code: str) -> bool:
    """Whether an act with no target named is one against the actor's own country."""
    return code[:2] == "14" or code.startswith(DOMESTIC_CODES)
