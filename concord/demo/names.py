"""Names for the demo partnership, grouped by heritage so that a woman's given name, family name
and first language fit together. Every name is common; no combination stands for a real person.

Weights give Northshire a population a little more diverse than the MARAC average (about one
survivor in five from a Black, Asian or minoritised community), so that every disaggregation has
something to show.
"""

from dataclasses import dataclass, field

from concord.people.vocabularies import Ethnicity


@dataclass(frozen=True)
class Heritage:
    key: str
    weight: float
    ethnicity: str
    # Share born abroad: only they get a first language other than English, an interpreter or an
    # immigration status other than citizen.
    born_abroad: float
    languages: tuple[tuple[str, int], ...]
    women: tuple[str, ...]
    men: tuple[str, ...]
    family: tuple[str, ...]
    girls: tuple[str, ...] = field(default=())
    boys: tuple[str, ...] = field(default=())


MODERN_GIRLS = ("Olivia", "Amelia", "Isla", "Ava", "Mia", "Lily", "Freya", "Poppy", "Evie", "Ivy", "Willow",
                "Isabella", "Sophia", "Rosie", "Ella", "Daisy", "Millie", "Ruby", "Maisie", "Harper")
MODERN_BOYS = ("Oliver", "Noah", "Leo", "George", "Harry", "Jack", "Charlie", "Alfie", "Freddie", "Oscar",
               "Archie", "Theo", "Arthur", "Teddy", "Finley", "Reggie", "Tommy", "Riley", "Mason", "Ezra")

HERITAGES = (
    Heritage(
        "white_british", 68, Ethnicity.WHITE, 0.01, (("English", 1),),
        women=("Emma", "Sarah", "Laura", "Rebecca", "Gemma", "Kelly", "Claire", "Amy", "Jade", "Chloe", "Hannah",
               "Lucy", "Charlotte", "Danielle", "Stacey", "Nicola", "Karen", "Julie", "Michelle", "Lisa",
               "Joanne", "Samantha", "Leanne", "Katie", "Sophie", "Megan", "Jessica", "Holly", "Natalie",
               "Hayley", "Kirsty", "Zoe", "Victoria", "Rachel", "Louise", "Carol", "Susan", "Tracey", "Elizabeth",
               "Abigail", "Bethany", "Courtney", "Paige", "Shannon", "Georgia", "Jennifer", "Helen", "Wendy"),
        men=("James", "Daniel", "Lee", "Craig", "Wayne", "Darren", "Jamie", "Ryan", "Liam", "Kieran", "Mark",
             "Paul", "Steven", "Gary", "Dean", "Scott", "Jordan", "Callum", "Michael", "Andrew", "Carl", "Shaun",
             "Adam", "Nathan", "Ben", "Connor", "Lewis", "Tony", "Keith", "Stuart"),
        family=("Smith", "Jones", "Taylor", "Brown", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
                "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
                "Hughes", "Edwards", "Harris", "Lewis", "Turner", "Hill", "Cooper", "Ward", "Morris", "Moore",
                "Baker", "Parker", "Bennett", "Marshall", "Shaw", "Holmes", "Fletcher", "Atkinson", "Dawson",
                "Barker", "Naylor", "Whittaker", "Ashworth", "Pickering", "Hargreaves", "Sutcliffe", "Lister",
                "O'Neill", "Kelly", "Murphy", "Gallagher"),
        girls=MODERN_GIRLS, boys=MODERN_BOYS,
    ),
    Heritage(
        "south_asian", 8, Ethnicity.ASIAN, 0.35,
        (("Urdu", 30), ("Punjabi", 25), ("Bengali", 18), ("Gujarati", 10), ("Hindi", 7), ("Pahari", 6),
         ("Tamil", 4)),
        women=("Aisha", "Amina", "Fatima", "Ayesha", "Nadia", "Sana", "Zainab", "Saima", "Shazia", "Rukhsana",
               "Priya", "Anjali", "Sunita", "Kiran", "Harpreet", "Manpreet", "Jaspreet", "Simran", "Nasreen",
               "Farzana", "Tahmina", "Rehana", "Shabana", "Salma", "Nusrat", "Meera", "Deepa", "Hina", "Iqra"),
        men=("Imran", "Tariq", "Asif", "Zubair", "Kamran", "Faisal", "Rizwan", "Shahid", "Arjun", "Rajesh",
             "Sandeep", "Gurpreet", "Harjit", "Mohammed", "Abdul", "Rahul", "Sohail", "Nadeem", "Bilal", "Usman"),
        family=("Khan", "Hussain", "Ahmed", "Ali", "Akhtar", "Iqbal", "Mahmood", "Rahman", "Chowdhury", "Uddin",
                "Miah", "Patel", "Sharma", "Singh", "Gill", "Sandhu", "Sidhu", "Kumar", "Mistry", "Shah", "Malik",
                "Butt", "Qureshi", "Javed", "Choudhry", "Islam", "Parmar", "Chauhan"),
    ),
    Heritage(
        "black_caribbean", 2, Ethnicity.BLACK, 0.05, (("English", 1),),
        women=("Chanelle", "Shanice", "Tanisha", "Keisha", "Marcia", "Janelle", "Simone", "Jasmine", "Kayla",
               "Monique", "Beverley", "Donna", "Sharon", "Natasha", "Shantelle"),
        men=("Marcus", "Jerome", "Tyrone", "Andre", "Dwayne", "Leon", "Delroy", "Winston", "Kyle", "Jermaine",
             "Devon", "Nathaniel"),
        family=("Campbell", "Williams", "Francis", "Grant", "Henry", "Clarke", "Reid", "Morgan", "Bailey",
                "Richards", "Lewis", "Thomas", "Gordon", "Spencer", "Brown"),
        girls=MODERN_GIRLS, boys=MODERN_BOYS,
    ),
    Heritage(
        "west_african", 2, Ethnicity.BLACK, 0.5,
        (("Yoruba", 30), ("Twi", 25), ("Igbo", 20), ("French", 15), ("Pidgin English", 10)),
        women=("Abena", "Adaeze", "Chiamaka", "Ngozi", "Folake", "Funmilayo", "Blessing", "Precious", "Yetunde",
               "Comfort", "Ama", "Efua", "Temitope", "Oluwaseun", "Chidinma", "Akosua"),
        men=("Kwame", "Kofi", "Emeka", "Chinedu", "Tunde", "Olumide", "Samuel", "Joseph", "Isaac", "Babatunde",
             "Yaw", "Kwabena"),
        family=("Okafor", "Adeyemi", "Mensah", "Boateng", "Owusu", "Asante", "Okonkwo", "Eze", "Adebayo", "Nwosu",
                "Ogunleye", "Appiah", "Danso", "Oyelaran"),
    ),
    Heritage(
        "east_african", 1.5, Ethnicity.BLACK, 0.6, (("Somali", 60), ("Tigrinya", 25), ("Amharic", 15)),
        women=("Hodan", "Amal", "Fadumo", "Ifrah", "Nasra", "Deka", "Hibo", "Sagal", "Filsan", "Hiwot", "Selam",
               "Senait", "Meron", "Ayaan"),
        men=("Abdi", "Mohamed", "Hassan", "Ahmed", "Yusuf", "Abdirahman", "Dawit", "Yonas", "Tesfay", "Mahad"),
        family=("Abdi", "Hassan", "Osman", "Warsame", "Farah", "Ali", "Nur", "Jama", "Tesfaye", "Bekele", "Haile",
                "Gebre", "Egal", "Omar"),
    ),
    Heritage(
        "polish", 4, Ethnicity.WHITE, 0.95, (("Polish", 1),),
        women=("Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Anna", "Monika", "Ewelina", "Justyna", "Marta",
               "Małgorzata", "Dorota", "Karolina", "Aleksandra", "Paulina"),
        men=("Piotr", "Tomasz", "Marcin", "Krzysztof", "Paweł", "Łukasz", "Mateusz", "Grzegorz", "Dariusz",
             "Kamil"),
        family=("Nowak", "Wójcik", "Kaczmarek", "Mazur", "Krawczyk", "Zając", "Król", "Wróbel", "Pawlak",
                "Michalak", "Kowalczyk", "Nowakowski", "Sikora", "Baran"),
    ),
    Heritage(
        "romanian", 2, Ethnicity.WHITE, 0.95, (("Romanian", 85), ("Romani", 15)),
        women=("Ioana", "Elena", "Andreea", "Maria", "Alexandra", "Mihaela", "Cristina", "Roxana", "Bianca",
               "Florentina", "Georgiana"),
        men=("Andrei", "Mihai", "Ionuț", "Alexandru", "Florin", "Marius", "Adrian", "Cosmin", "Vasile"),
        family=("Popescu", "Ionescu", "Popa", "Stan", "Dumitru", "Radu", "Munteanu", "Constantin", "Stoica",
                "Marin", "Lupu"),
    ),
    Heritage(
        "traveller", 1.5, Ethnicity.WHITE_MINORITY, 0.0, (("English", 1),),
        women=("Bridget", "Mary", "Margaret", "Kathleen", "Shannon", "Tiffany", "Roseanne", "Caroline", "Nora",
               "Winnie"),
        men=("Patrick", "John", "Michael", "Martin", "Tommy", "Johnny", "Francie", "Billy"),
        family=("McDonagh", "Ward", "Connors", "Joyce", "Doherty", "Price", "Lee", "Boswell", "Loveridge",
                "Maughan", "Stokes"),
        girls=("Bridget", "Mary", "Kathleen", "Shannon", "Margaret", "Lily-Mae", "Tiffany"),
        boys=("Patrick", "John", "Michael", "Martin", "Tommy", "Johnny"),
    ),
    Heritage(
        "arab", 1, Ethnicity.ARAB, 0.7, (("Arabic", 1),),
        women=("Layla", "Mariam", "Noor", "Huda", "Rania", "Yasmin", "Samira", "Hanan", "Dalia", "Reem", "Amira",
               "Lina"),
        men=("Omar", "Khalid", "Yousef", "Karim", "Ahmad", "Sami", "Walid", "Hamza", "Nabil"),
        family=("Al-Sayed", "Haddad", "Mansour", "Khalil", "Nasser", "Saleh", "Hamdan", "Darwish", "Farouk",
                "Aziz", "Al-Amin"),
    ),
    Heritage(
        "chinese", 1, Ethnicity.ASIAN, 0.6, (("Mandarin", 55), ("Cantonese", 45)),
        women=("Mei", "Li", "Xiu", "Hui", "Jing", "Yan", "Wen", "Ling", "Xia", "Fang", "Yue"),
        men=("Wei", "Jun", "Hao", "Ming", "Jian", "Lei", "Bo", "Tao"),
        family=("Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Wong", "Lam", "Cheung", "Zhou", "Ho"),
    ),
    Heritage(
        "mixed", 3, Ethnicity.MIXED, 0.03, (("English", 1),),
        women=("Jasmine", "Maya", "Aaliyah", "Leah", "Tia", "Kayla", "Nia", "Zara", "Amelia", "Ruby", "Layla",
               "Jada", "Imani"),
        men=("Jayden", "Tyler", "Kai", "Elijah", "Reece", "Malachi", "Jordan", "Isaiah"),
        family=("Campbell", "Williams", "Smith", "Clarke", "Thomas", "Johnson", "Reid", "Walker", "Bailey",
                "Mensah", "Ahmed"),
        girls=MODERN_GIRLS, boys=MODERN_BOYS,
    ),
    Heritage(
        "turkish_kurdish", 1, Ethnicity.OTHER, 0.6, (("Turkish", 65), ("Kurdish", 35)),
        women=("Elif", "Zeynep", "Ayşe", "Fatma", "Emine", "Derya", "Sibel", "Gülsen", "Hatice", "Rojda",
               "Berfin"),
        men=("Mehmet", "Mustafa", "Ahmet", "Emre", "Murat", "Serkan", "Baran", "Hüseyin"),
        family=("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Öztürk", "Arslan", "Doğan", "Bozkurt"),
    ),
    Heritage(
        "lusophone", 1, Ethnicity.OTHER, 0.9, (("Portuguese", 1),),
        women=("Ana", "Mariana", "Juliana", "Camila", "Fernanda", "Beatriz", "Larissa", "Patrícia", "Luana",
               "Inês"),
        men=("João", "Lucas", "Rafael", "Bruno", "Thiago", "Diego", "Gabriel"),
        family=("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Ferreira",
                "Gonçalves", "Almeida"),
    ),
)

# The name she is known by, when she has one; recorded either as "known as" or as a nickname.
NICKNAMES = {
    "Rebecca": "Becky", "Samantha": "Sam", "Jessica": "Jess", "Nicola": "Nicky", "Danielle": "Dani",
    "Elizabeth": "Liz", "Victoria": "Vicky", "Jennifer": "Jen", "Abigail": "Abbie", "Margaret": "Maggie",
    "Bridget": "Bridie", "Kathleen": "Kath", "Katarzyna": "Kasia", "Magdalena": "Magda", "Agnieszka": "Aga",
    "Małgorzata": "Gosia", "Aleksandra": "Ola", "Alexandra": "Alexa", "Florentina": "Flori",
    "Georgiana": "Gina", "Funmilayo": "Funmi", "Oluwaseun": "Seun", "Temitope": "Tope", "Chiamaka": "Amaka",
    "Natasha": "Tash", "Charlotte": "Charlie", "Caroline": "Caz", "Zainab": "Zee", "Jaspreet": "Jas",
}

# Other spellings of the same name: how she appears in another agency's records.
SPELLINGS = {
    "Aisha": "Ayesha", "Ayesha": "Aisha", "Fatima": "Fatimah", "Zainab": "Zaynab", "Sarah": "Sara",
    "Hannah": "Hana", "Leanne": "Lianne", "Nasreen": "Nasrin", "Rukhsana": "Ruksana", "Hodan": "Hoodo",
    "Fadumo": "Faduma", "Layla": "Leila", "Mariam": "Maryam", "Yasmin": "Yasmine", "Shanice": "Shaniece",
    "Kirsty": "Kirstie", "Tracey": "Tracy", "Zoe": "Zoë", "Ioana": "Ioanna", "Amal": "Amaal",
}
