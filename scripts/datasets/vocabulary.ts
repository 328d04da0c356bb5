// Word lists the dataset generator draws from. Printable ASCII only: every character must be in the
// PP-OCRv4 dictionary (which has no "€", so euro prices are written "EUR 3,99" / "3,99 EUR").

/** Splits a whitespace-separated word list (keeps long lists readable). */
function words(list: string): readonly string[] {
  return list.trim().split(/\s+/);
}

export const COMMON_WORDS = words(`
  coffee water bread garden window market river station ticket paper orange yellow green blue
  silver quiet open closed fresh daily morning evening weekend library office kitchen bridge
  harbour village street corner number letter parcel delivery receipt invoice account balance
  payment school teacher student doctor hospital pharmacy bakery butcher grocer florist summer
  winter spring autumn sunny cloudy rainy windy warm cold apple banana cherry lemon pepper tomato
  potato onion garlic butter cheese yogurt honey sugar flour rice pasta noodles soup salad chair
  table lamp mirror pillow blanket basket bottle candle clock music dance film theatre museum
  gallery concert festival holiday journey north south east west left right entrance exit upstairs
  downstairs quality service support welcome thanks please sorry again today tomorrow jumpy quirky
  fizzy glossy puzzle oxygen keyboard gravity velvet zigzag
`);

export const SHORT_PHRASES = [
  "thank you",
  "see you soon",
  "open daily",
  "fresh bread",
  "keep left",
  "no entry",
  "staff only",
  "wet floor",
  "push to open",
  "pull",
  "mind the gap",
  "back in five minutes",
  "cash only",
  "cards accepted",
  "free wifi",
  "order here",
  "pick up here",
  "self service",
  "lost and found",
  "quiet please",
  "all day breakfast",
  "happy hour",
  "buy one get one free",
  "best before",
  "handle with care",
  "this side up",
  "keep dry",
  "do not bend",
  "return to sender",
  "opening soon",
  "under new management",
  "fully booked",
  "sold out",
  "now hiring",
  "out of order",
  "try again later",
  "good morning",
  "have a nice day",
  "please wait here",
  "gluten free",
  "dairy free",
  "made with love",
] as const;

export const TITLE_ADJECTIVES = words(`
  Silent Golden Northern Annual Modern Secret Ancient Quiet Lost Digital Practical Young Little
  Grand Public Wild Weekly Quarterly Copper Velvet Second Hidden Bright Early Distant Open Small
`);

export const TITLE_NOUNS = words(`
  Harbour Garden Lights Report River Valley Winter Journal Morning Chronicle Kitchen History City
  Maps Field Guide Mountain Evening Stories Island Design Principles Handbook Explorers Ocean Notes
  Edition Bakery Hotel Library Summer Festival Program Review Systems Market Bridge Street Orchard
  House Jazz Nights Paper Boats Sky Flowers Kettle Letters Voyage Recipes Atlas
`);

export const GROCERIES = words(`
  bread rice pasta honey coffee butter cheese flour sugar soup tea jam cereal juice yogurt
`);

export const CAPS_PHRASES = [
  "EMERGENCY EXIT",
  "NO PARKING",
  "FRAGILE",
  "HANDLE WITH CARE",
  "AUTHORISED PERSONNEL ONLY",
  "KEEP CLEAR",
  "FIRE ASSEMBLY POINT",
  "DANGER HIGH VOLTAGE",
  "PRIVATE PROPERTY",
  "NO SMOKING",
  "OPEN",
  "CLOSED",
  "SALE",
  "CLEARANCE",
  "FINAL NOTICE",
  "CONFIDENTIAL",
  "APPROVED",
  "PAID",
  "URGENT",
  "DELIVERY ONLY",
  "LOADING BAY",
  "TOW AWAY ZONE",
  "SLOW DOWN",
  "STOP",
  "ONE WAY",
  "DEAD END",
  "BUS STOP",
  "TAXI RANK",
  "PLATFORM",
  "WAY OUT",
  "TICKETS",
  "INFORMATION",
  "RECEPTION",
  "CHECK IN",
  "BAGGAGE CLAIM",
  "RESTROOMS",
  "FIRST AID",
  "LIFT OUT OF ORDER",
  "THIS WAY UP",
  "DO NOT STACK",
  "KEEP FROZEN",
  "PERISHABLE",
  "TOTAL DUE",
  "INVOICE",
  "RECEIPT",
  "QUALITY CONTROL",
  "BOX OFFICE",
  "JUNCTION",
  "EXPRESS LANE",
] as const;

export const CURRENCY_PREFIXES = ["$", "USD ", "GBP ", "EUR ", "CHF ", "CAD ", "AUD "] as const;

export const MONTHS = words(
  "January February March April May June July August September October November December",
);

export const WEEKDAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday");

export const CODE_PREFIXES = words("AB KX ZT QP MN RX LH VG JD WY EF HU");

export const SENTENCES = [
  "Please keep this door closed.",
  "The shop opens at nine on Sundays.",
  "Your order has been shipped.",
  "Thank you for shopping with us.",
  "Press the green button to start.",
  "Do not leave bags unattended.",
  "The next train leaves in 5 minutes.",
  "Please take a number and wait.",
  "Wash your hands before eating.",
  "All visitors must sign in here.",
  "Keep this receipt for your records.",
  "The meeting is moved to Room 12.",
  "Quiet zone: phones on silent.",
  "Children must be accompanied.",
  "Parking is free after 6 pm.",
  "Returns accepted within 30 days.",
  "The quick brown fox jumps over the lazy dog.",
  "Lift the lid and pull the handle.",
  "We are closed for the holidays.",
  "Batteries not included.",
  "Store in a cool, dry place.",
  "Best served chilled.",
  "Mind your head on the stairs.",
  "Please recycle this packaging.",
  "Have you checked the expiry date?",
  "Last entry is one hour before closing.",
  "Enjoy your stay with us!",
  "Payment is due within 14 days.",
  "Shake well before use.",
  "Fasten your seat belt while seated.",
] as const;

export const FIRST_NAMES = words(`
  Amara Ben Chloe Dmitri Elena Farid Grace Hugo Ines Jonas Keiko Liam Maya Nikos Olivia Pablo
  Quinn Rosa Samir Tara Umar Vera Wen Ximena Yusuf Zoe
`);

export const LAST_NAMES = words(`
  Okafor Lindqvist Moreau Nakamura Petrov Garcia Schmidt Kowalski Haddad Fischer Rossi Jensen
  Silva Murphy Novak Tanaka Bauer Costa Walsh Young
`);

export const STREETS = [
  "Elm Street",
  "Harbour Road",
  "Mill Lane",
  "Station Avenue",
  "King Street",
  "Oak Drive",
  "Bridge Road",
  "Park View",
  "Church Lane",
  "Market Square",
  "Riverside Walk",
  "Hill Crescent",
] as const;

export const CITIES = words(`
  Springfield Riverton Lakeside Northbridge Ashford Kingsport Fairview Brookfield Millbrook
  Westhaven Oakridge Greenville
`);

export const STORE_NAMES = [
  "CORNER MARKET",
  "The Daily Grind",
  "GREEN LEAF GROCERY",
  "Harbour Bakery",
  "Bright Pharmacy",
  "QUICK STOP",
  "Old Mill Cafe",
  "Fresh Fields",
  "CITY HARDWARE",
  "Blue Door Books",
  "Sunrise Deli",
  "Maple & Co",
  "NORTH STAR FUEL",
  "Pepper Pot Kitchen",
  "Urban Florist",
  "Copper Kettle Tea Room",
] as const;

export const RECEIPT_ITEMS = [
  "Oat Milk 1L",
  "Sourdough Loaf",
  "Free Range Eggs 6",
  "Bananas",
  "Cheddar 200g",
  "Espresso",
  "Flat White",
  "Croissant",
  "Orange Juice",
  "Tomatoes 500g",
  "Pasta 1kg",
  "Olive Oil",
  "Green Tea",
  "Dark Chocolate",
  "Apples",
  "Yogurt 4pk",
  "Paper Towels",
  "Dish Soap",
  "AA Batteries 4x",
  "Light Bulb",
  "Screws M4 x20",
  "Wood Glue",
  "Paracetamol",
  "Toothpaste",
  "Notebook A5",
  "Gel Pen Black",
  "Sparkling Water",
  "Bagel",
  "Blueberry Muffin",
  "Cappuccino",
  "Rice 2kg",
  "Honey Jar",
  "Peanut Butter",
  "Butter 250g",
] as const;

export const FORM_TITLES = [
  "Registration Form",
  "PATIENT INTAKE",
  "Delivery Note",
  "Membership Application",
  "Service Request",
  "Visitor Pass",
  "Shipping Label",
  "Job Sheet",
  "Booking Confirmation",
  "WARRANTY CARD",
] as const;

export const SIGN_LINES = [
  ["NO PARKING", "Mon - Fri", "8 AM - 6 PM", "Violators will be towed"],
  ["CAUTION", "Wet Floor"],
  ["OPEN", "Daily 7 - 22"],
  ["STAFF ONLY", "Beyond this point"],
  ["FRESH COFFEE", "Pastries", "Sandwiches"],
  ["EXIT", "Stairs to Street Level"],
  ["WELCOME", "Please ring the bell", "for service"],
  ["QUIET PLEASE", "Exams in progress"],
  ["SALE", "Up to 50% off", "This weekend only"],
  ["PLATFORM 4", "Northbound trains"],
  ["KEEP OUT", "Construction Site", "Hard hats required"],
  ["FREE WIFI", "Ask at the counter"],
  ["BACK SOON", "Gone for lunch", "Returns at 2 pm"],
  ["TOILETS", "First Floor"],
  ["NO ENTRY", "Authorised vehicles only"],
  ["CAR PARK", "Full", "Use Level 3"],
  ["SLOW", "Children at play"],
  ["FARM SHOP", "Eggs - Honey - Jam", "Open 9 to 5"],
] as const;
