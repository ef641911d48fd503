"""What happens in the demo cases: patterns of abuse, plain factual incident notes, and needs in
her own words. Notes are written the way a practitioner records them: neutral, short, no graphic
detail, nothing that blames her.

Narrative placeholders: {She}/{she} and {her} (object) / {her_pos} (possessive) for the survivor,
{harmer} for the given name of the person causing harm.
"""

from dataclasses import dataclass

from concord.cases.vocabularies import ClosureReason, NeedCategory, PlaceType, Relationship, ViolenceType

CR, N, P, R, V = ClosureReason, NeedCategory, PlaceType, Relationship, ViolenceType


@dataclass(frozen=True)
class Pattern:
    """A kind of case: who causes harm, what they do and where."""

    key: str
    weight: int
    violence: tuple[tuple[str, int], ...]
    relationships: tuple[tuple[str, int], ...]
    places: tuple[tuple[str, int], ...]
    harmer_counts: tuple[int, ...] = (1,)


PATTERNS = (
    Pattern(
        "intimate_partner", 80,
        violence=((V.PHYSICAL_ASSAULT, 30), (V.COERCIVE_CONTROL, 30), (V.PSYCHOLOGICAL_ABUSE, 22),
                  (V.DENIAL_OF_RESOURCES, 8), (V.SEXUAL_ASSAULT, 5), (V.RAPE, 4), (V.HARASSMENT, 10),
                  (V.STALKING, 8), (V.ONLINE_ABUSE, 7)),
        relationships=((R.PARTNER, 45), (R.EX_PARTNER, 55)),
        places=((P.HER_HOME, 35), (P.SHARED_HOME, 35), (P.PERPETRATOR_HOME, 6), (P.PUBLIC_PLACE, 8),
                (P.VEHICLE, 4), (P.ONLINE, 6), (P.WORKPLACE, 2), (P.UNKNOWN, 4)),
    ),
    Pattern(
        "stalking", 7,
        violence=((V.STALKING, 40), (V.HARASSMENT, 35), (V.ONLINE_ABUSE, 20), (V.PSYCHOLOGICAL_ABUSE, 5)),
        relationships=((R.EX_PARTNER, 60), (R.ACQUAINTANCE, 30), (R.STRANGER, 5), (R.UNKNOWN, 5)),
        places=((P.PUBLIC_PLACE, 30), (P.HER_HOME, 25), (P.WORKPLACE, 15), (P.ONLINE, 30)),
    ),
    Pattern(
        "family", 6,
        violence=((V.PSYCHOLOGICAL_ABUSE, 25), (V.PHYSICAL_ASSAULT, 20), (V.COERCIVE_CONTROL, 20),
                  (V.HONOUR_BASED, 15), (V.FORCED_MARRIAGE, 10), (V.DOWRY_RELATED, 5),
                  (V.DENIAL_OF_RESOURCES, 8), (V.FGM, 2), (V.CHILD_MARRIAGE, 1)),
        relationships=((R.FAMILY, 1),),
        places=((P.HER_HOME, 30), (P.SHARED_HOME, 35), (P.OTHER_HOME, 25), (P.ONLINE, 10)),
        harmer_counts=(1, 1, 2, 2, 3),
    ),
    Pattern(
        "sexual_violence", 5,
        violence=((V.SEXUAL_ASSAULT, 55), (V.RAPE, 40), (V.ONLINE_ABUSE, 5)),
        relationships=((R.ACQUAINTANCE, 65), (R.STRANGER, 20), (R.OTHER, 10), (R.UNKNOWN, 5)),
        places=((P.OTHER_HOME, 35), (P.PUBLIC_PLACE, 25), (P.PERPETRATOR_HOME, 20), (P.VEHICLE, 10),
                (P.WORKPLACE, 5), (P.SCHOOL, 5)),
    ),
    Pattern(
        "exploitation", 2,
        violence=((V.TRAFFICKING, 45), (V.DENIAL_OF_RESOURCES, 25), (V.SEXUAL_ASSAULT, 15),
                  (V.PSYCHOLOGICAL_ABUSE, 15)),
        relationships=((R.ACQUAINTANCE, 50), (R.OTHER, 35), (R.UNKNOWN, 15)),
        places=((P.OTHER_HOME, 40), (P.WORKPLACE, 40), (P.OTHER, 20)),
        harmer_counts=(1, 2),
    ),
)

NARRATIVES = {
    V.PHYSICAL_ASSAULT: (
        "{She} says {harmer} pushed {her} against the kitchen door during an argument about money.",
        "{harmer} grabbed {her} by the arms and would not let {her} leave the room.",
        "{She} reports {harmer} threw a mug at {her}; it hit {her_pos} shoulder.",
        "Neighbours called the police after hearing shouting. {She} has bruising to {her_pos} arm.",
        "{harmer} slapped {her} in front of the children after {she} came home late from work.",
    ),
    V.COERCIVE_CONTROL: (
        "{harmer} checks {her_pos} phone every evening and decides who {she} may see.",
        "{She} says {harmer} controls the household money and has taken {her_pos} bank card.",
        "{harmer} tracks {her_pos} location through an app and questions {her} about every journey.",
        "{She} is not allowed to visit {her_pos} family without {harmer}.",
    ),
    V.PSYCHOLOGICAL_ABUSE: (
        "{harmer} repeatedly called {her} worthless and said no one would believe {her}.",
        "{She} says {harmer} threatened to take the children if {she} ever left.",
        "{harmer} threatened to harm {her_pos} pet if {she} spoke to anyone about the relationship.",
        "{She} describes months of being shouted at and blamed for everything going wrong.",
    ),
    V.DENIAL_OF_RESOURCES: (
        "{harmer} has taken {her_pos} passport and keeps it locked away.",
        "{She} has no money of {her_pos} own; {harmer} gives {her} a small amount for food each week.",
        "{harmer} stopped {her} from going to work and from attending medical appointments.",
    ),
    V.SEXUAL_ASSAULT: (
        "{She} disclosed a sexual assault by {harmer}. {She} was offered support from the SARC.",
        "{She} told {her_pos} advocate about unwanted sexual contact by {harmer}.",
    ),
    V.RAPE: (
        "{She} disclosed that {harmer} raped {her}. {She} was supported to attend the SARC.",
        "{She} disclosed rape by {harmer} and has not yet decided whether to report to the police.",
    ),
    V.STALKING: (
        "{harmer} has been waiting outside {her_pos} workplace at the end of {her_pos} shifts.",
        "{She} has seen {harmer}'s car outside {her_pos} home several times this week.",
        "{harmer} turned up at the school gate when {she} was collecting the children.",
    ),
    V.HARASSMENT: (
        "{harmer} sent over forty messages in one evening demanding to see {her}.",
        "{harmer} keeps calling {her_pos} mother asking where {she} is living now.",
        "{She} reports repeated unwanted calls from withheld numbers, which {she} believes are from {harmer}.",
    ),
    V.ONLINE_ABUSE: (
        "{harmer} posted private photos of {her} online and tagged {her_pos} friends.",
        "{harmer} logged into {her_pos} social media accounts and changed the passwords.",
        "{harmer} set up fake profiles to contact {her} after {she} blocked the old ones.",
    ),
    V.TRAFFICKING: (
        "{She} was brought to the UK with a promise of work; {her_pos} documents were taken on arrival.",
        "{She} says {she} is made to work long hours for no pay to repay a debt {harmer} says {she} owes.",
    ),
    V.FORCED_MARRIAGE: (
        "{She} says {her_pos} family is arranging a marriage abroad that {she} does not agree to.",
        "{She} is worried {she} will be taken abroad in the summer and married without {her_pos} consent.",
    ),
    V.CHILD_MARRIAGE: (
        "{She} disclosed that {she} was married at sixteen against {her_pos} wishes.",
    ),
    V.HONOUR_BASED: (
        "Family members have threatened {her} because of {her_pos} relationship.",
        "{She} says {harmer} told {her} {she} has brought shame on the family and must return home.",
    ),
    V.DOWRY_RELATED: (
        "{She} says {her_pos} in-laws are demanding more money from {her_pos} family and have threatened {her}.",
    ),
    V.FGM: (
        "{She} is worried {her_pos} daughter will be taken abroad for FGM during the school holidays.",
        "{She} disclosed FGM in childhood during a health appointment; {she} would like support.",
    ),
}

POLICE_NOTES = (" Police attended and took a statement.", " Police attended; {harmer} had left.",
                " {She} did not want police involvement at this time.")

NEEDS = {
    N.SAFETY: ("I want the locks changed so he can't get back in.", "I need to know when he gets out.",
               "I want a panic alarm at home.", "I need him to stop turning up at my work.",
               "I want to feel safe walking the kids to school."),
    N.HOUSING: ("I need somewhere safe to live with the kids.", "I can't stay at my sister's much longer.",
                "I want to stay in my own home if it can be made safe.",
                "I need to move out of the area where he lives."),
    N.HEALTH: ("I want to see a doctor about not sleeping.", "I need help registering with a GP.",
               "I'd like someone to come with me to the hospital appointment."),
    N.LEGAL: ("I want to get a non-molestation order.", "I need advice about the children seeing him.",
              "I want to know what happens at court and whether I have to see him there.",
              "I need a solicitor who understands what's happened."),
    N.FINANCIAL: ("He's taken all the money, I need help with food and the electric.",
                  "I need help applying for Universal Credit on my own.",
                  "I want to open a bank account he doesn't know about.", "I'm behind on rent because of him."),
    N.IMMIGRATION: ("My visa depends on him, I need advice.", "I need help with my status so I can work.",
                    "I need my passport back."),
    N.CHILDREN: ("I want the kids to have someone to talk to.", "I need a school place near where we're staying.",
                 "I want to keep the children safe when he has contact."),
    N.EMOTIONAL_SUPPORT: ("I want to talk to someone who understands.",
                          "I'd like to join a group with other women.",
                          "I want counselling in my own language.", "I just need someone to listen."),
    N.OTHER: ("I need help getting my things back from the house.", "I want my dog to be safe.",
              "I'd like help getting back to work."),
}

INVOLVEMENT_REASONS = {
    "police": ("Criminal investigation", "Reported incident; officer in the case", "Bail conditions"),
    "cps": ("Charging decision", "Prosecution"),
    "court": ("Criminal proceedings", "Application for a protective order"),
    "probation": ("He is on licence", "Community order with a programme requirement"),
    "health": ("Disclosure in A&E", "Maternity safeguarding", "GP referral"),
    "idva": ("High-risk advocacy", "Court support", "Referral from MARAC"),
    "refuge": ("Refuge space offered", "Outreach support"),
    "housing": ("Homeless application", "Sanctuary scheme", "Management transfer"),
    "childrens": ("Children in the household", "Child protection enquiry", "Early help"),
    "adults": ("Care and support needs", "Safeguarding adults enquiry"),
    "amara": ("Support in her own language", "By-and-for support for Black and minoritised women"),
    "programme": ("He has been referred to the programme", "Partner support alongside his programme"),
}

CLOSURES = (
    (CR.NEEDS_MET, 55, ("Safety plan in place; she knows how to come back to us.", "Her needs are met.", "")),
    (CR.HER_CHOICE, 20, ("She would like a break from support for now.", "")),
    (CR.TRANSFERRED, 10, ("She has moved to another area; support handed over with her agreement.",)),
    (CR.NO_SAFE_CONTACT, 10, ("No safe way to reach her at present; the case stays open to her.",)),
    (CR.DUPLICATE, 3, ("Duplicate record.",)),
    (CR.OPENED_IN_ERROR, 2, ("",)),
)

# What she fears, in her own words, as the checklist's last question records it: short and plain,
# never graphic. Those about the children only where she has them; about her status only where it
# depends on him or is precarious.
FEARS = (
    "That he'll find out where I'm staying.", "I'm scared he'll turn up at the house again.",
    "That he won't ever leave me alone.", "I'm worried it'll be worse next time.",
    "That he'll find out I've talked to you.", "I'm frightened of what he'll do when he's let out.",
    "That nobody will believe me.", "I'm scared he'll come to my work.", "That I'll lose my home.",
    "He keeps ringing my mum. I'm frightened for her.", "I don't know what he's capable of any more.",
    "That he'll take it out on the dog.", "That I'll never feel safe going out.",
)
FEARS_WITH_CHILDREN = ("That he'll take the kids.", "I'm scared of what he'll do at handovers.",
                       "That the children will see it again.")
FEARS_ABOUT_STATUS = ("That he'll get me sent back.", "He says nobody will help me without my papers.")

# What was done, as the agency closing a follow-up of a high level writes it.
TASK_OUTCOMES = {
    "advocate_contact": ("Spoke to her by phone; she agreed to meet.", "Met her; she would like support."),
    "refer_to_conference": ("Referred to the next MARAC.", "Referral sent to the MARAC coordinator."),
    "safety_plan_review": ("Safety plan reviewed with her.", "Safety plan updated with her; a new phone arranged."),
}
