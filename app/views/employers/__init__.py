"""The employer register (#22): employers, their contact persons, contacts and visits,
vacancies and the job seekers proposed for them."""
